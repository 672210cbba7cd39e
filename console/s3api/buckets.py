"""S3 operations: buckets (see console.s3api.dispatch.OPERATIONS)."""
