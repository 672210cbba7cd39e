"""s3.yaml: the format (reader/writer), its sync with the connection records, and the start-up import."""
