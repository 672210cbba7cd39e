"""`/s3/`: the S3 REST API over the console's connections, signed with console-issued access keys (issue #20).

Each connection a key's owner may see is a bucket named after it. Requests are checked by AWS Signature
V4 (auth, sigv4, chunked, checksums), scoped by the owner's grants or the key's narrower scope (scope),
sent to the handler for their operation (dispatch) and answered in S3's XML (xmlout, errors). Bytes
stream through: no request or response body is ever held whole.
"""
