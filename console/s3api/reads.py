"""S3 operations: reads (see console.s3api.dispatch.OPERATIONS)."""
