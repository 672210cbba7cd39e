"""S3 operations: multipart (see console.s3api.dispatch.OPERATIONS)."""
