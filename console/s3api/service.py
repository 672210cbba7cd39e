"""S3 operations: service (see console.s3api.dispatch.OPERATIONS)."""
