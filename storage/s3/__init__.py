"""The community edition: boto3 straight to S3-compatible storage (the only package that imports boto3 at run time)."""
