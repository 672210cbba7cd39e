"""PutObject and UploadPart with a streamed body: a presigned request sent with an exact Content-Length.

boto3 signs a payload's SHA-256 over plain http, so it must read (and rewind) a body before sending it: a
stream from a client cannot be read twice, and holding it is what the endpoint must never do. A presigned
URL signs the headers and leaves the payload unsigned (UNSIGNED-PAYLOAD), so the body goes out as it is
read, 1 MiB at a time, through the client's own connection pool (its TLS settings, proxies, timeouts).
The storage still checks the bytes when their MD5 is known (Content-MD5 is signed in).

Not retried: a stream is read once. A body that fails half-way (the caller's stream raised, or it was
shorter or longer than stated) closes the connection before the last byte, so the storage sees a short
body and stores nothing; the caller gets the stream's own exception.
"""

from __future__ import annotations

from email.utils import formatdate

from botocore.awsrequest import AWSPreparedRequest
from botocore.exceptions import ClientError
from botocore.utils import parse_to_aware_datetime

from storage.bodies import SizedBody
from storage.s3.direct_copy import xml_answer

PRESIGN_EXPIRES = 3600  # checked when the request starts: a long transfer may outlast it
EXPECT_CONTINUE_FROM = 1024 * 1024  # as boto3: larger bodies wait for the storage's go-ahead (or its refusal)


def send(client, operation: str, params: dict, body: SizedBody) -> dict[str, str]:
    """Send `operation` ("PutObject", "UploadPart") with `params` (boto3's names, no Body) and `body`.

    Returns the answer's headers (lower-case names); S3's refusal as the ClientError boto3 would raise."""
    url = client.generate_presigned_url(_method_name(operation), Params=params, ExpiresIn=PRESIGN_EXPIRES)
    headers = request_headers(client, operation, params)
    headers["Content-Length"] = str(len(body))
    if len(body) >= EXPECT_CONTINUE_FROM:
        headers["Expect"] = b"100-continue"
    request = AWSPreparedRequest("PUT", url, headers, body, stream_output=False)
    response = client._endpoint.http_session.send(request)
    answer = {name.lower(): value for name, value in response.headers.items()}
    if response.status_code >= 300:
        code, texts = _error_fields(response.content)
        raise ClientError({"Error": {"Code": code or str(response.status_code), "Message": texts.get("Message", "")},
                           "ResponseMetadata": {"HTTPStatusCode": response.status_code, "HTTPHeaders": answer}},
                          operation)
    return answer


def request_headers(client, operation: str, params: dict) -> dict[str, str]:
    """The HTTP headers the presigned URL signed for `params`, as the S3 model names them."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    headers: dict[str, str] = {}
    for name, value in params.items():
        where = members[name].serialization
        if where.get("location") == "header" and members[name].type_name == "timestamp":
            headers[where["name"]] = formatdate(parse_to_aware_datetime(value).timestamp(), usegmt=True)  # as signed
        elif where.get("location") == "header":
            headers[where["name"]] = str(value)
        elif where.get("location") == "headers":  # user metadata: x-amz-meta-<name>
            headers.update((where["name"] + k, str(v)) for k, v in value.items())
    return headers


def _method_name(operation: str) -> str:
    return {"PutObject": "put_object", "UploadPart": "upload_part"}[operation]


def _error_fields(content: bytes) -> tuple[str, dict[str, str]]:
    _root, texts = xml_answer(content or b"")
    return texts.get("Code", ""), texts
