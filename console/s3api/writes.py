"""S3 operations: writes (see console.s3api.dispatch.OPERATIONS)."""
