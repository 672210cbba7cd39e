"""Odd inputs are S3's 400 answers, never InternalError: numbers in queries, headers and XML that only look like
numbers ('²' is a digit to str.isdigit, not to int), a response header override that would split the answer."""

from __future__ import annotations

import pytest
import requests
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"
SUPERSCRIPT_TWO = "\u00b2"


def send(url, issued, method, path, *, params=None, body=b"", unsigned=None, presigned=False):
    """A request signed as botocore signs it; `unsigned` headers are added after signing."""
    request = AWSRequest(method=method, url=f"{url}/s3/{path}", params=params or {}, data=b"" if presigned else body)
    credentials = Credentials(issued.access_key_id, issued.secret)
    if presigned:
        S3SigV4QueryAuth(credentials, "s3", "us-east-1", expires=600).add_auth(request)
    else:
        S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    headers = dict(prepared.headers) | (unsigned or {})
    return requests.request(method, prepared.url, headers=headers, data=body, timeout=10)


def code(answer) -> str:
    text = answer.text
    return text[text.find("<Code>") + 6:text.find("</Code>")] if "<Code>" in text else ""


@pytest.fixture
def upload(s3, key_prefix):
    key = key_prefix + "parts.bin"
    return key, s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]


@pytest.mark.parametrize("name", ["max-parts", "part-number-marker"])
def test_list_parts_counts(s3_endpoint, service_key, upload, name):
    key, upload_id = upload
    answer = send(s3_endpoint[0], service_key, "GET", f"{BUCKET}/{key}",
                  params={"uploadId": upload_id, name: SUPERSCRIPT_TWO})
    assert (answer.status_code, code(answer)) == (400, "InvalidArgument")


def test_list_multipart_uploads_count(s3_endpoint, service_key):
    answer = send(s3_endpoint[0], service_key, "GET", BUCKET, params={"uploads": "", "max-uploads": SUPERSCRIPT_TWO})
    assert (answer.status_code, code(answer)) == (400, "InvalidArgument")


def test_complete_with_an_odd_part_number(s3_endpoint, service_key, upload):
    key, upload_id = upload
    document = (f"<CompleteMultipartUpload><Part><PartNumber>{SUPERSCRIPT_TWO}</PartNumber><ETag>x</ETag></Part>"
                "</CompleteMultipartUpload>").encode()
    answer = send(s3_endpoint[0], service_key, "POST", f"{BUCKET}/{key}", params={"uploadId": upload_id},
                  body=document)
    assert (answer.status_code, code(answer)) == (400, "MalformedXML")


def test_an_odd_range_serves_the_whole_object(s3, s3_endpoint, service_key, key_prefix):
    key = key_prefix + "whole.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"0123456789")
    for spec in (f"bytes={SUPERSCRIPT_TWO}-3", f"bytes=0-{SUPERSCRIPT_TWO}", f"bytes=-{SUPERSCRIPT_TWO}"):
        answer = send(s3_endpoint[0], service_key, "GET", f"{BUCKET}/{key}", unsigned={"Range": spec})
        assert (answer.status_code, answer.content) == (200, b"0123456789"), spec


def test_an_odd_copy_source_range(s3, s3_endpoint, service_key, upload):
    """Signed as the endpoint reads a header's bytes (UTF-8, a lone 0xB2 as U+FFFD), sent as the byte itself."""
    key, upload_id = upload
    s3.put_object(Bucket=BUCKET, Key=key + ".src", Body=b"0123456789")
    request = AWSRequest(method="PUT", url=f"{s3_endpoint[0]}/s3/{BUCKET}/{key}",
                         params={"uploadId": upload_id, "partNumber": "1"},
                         headers={"x-amz-copy-source": f"{BUCKET}/{key}.src",
                                  "x-amz-copy-source-range": "bytes=\ufffd-3"})
    S3SigV4Auth(Credentials(service_key.access_key_id, service_key.secret), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    headers = dict(prepared.headers) | {"x-amz-copy-source-range": b"bytes=\xb2-3"}
    answer = requests.put(prepared.url, headers=headers, timeout=10)
    assert (answer.status_code, code(answer)) == (400, "InvalidArgument")


def test_an_odd_decoded_length_beside_a_presigned_url(s3_endpoint, service_key, key_prefix):
    answer = send(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{key_prefix}odd.bin", presigned=True,
                  body=b"0\r\n\r\n", unsigned={"x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                                               "x-amz-decoded-content-length": SUPERSCRIPT_TWO,
                                               "Content-Encoding": "aws-chunked"})
    assert (answer.status_code, code(answer)) == (400, "InvalidArgument")


@pytest.mark.parametrize("value", ["text/plain\r\nSet-Cookie: a=b", "attachment\n", "a\x00b"])
def test_a_response_override_with_control_characters(s3, s3_endpoint, service_key, key_prefix, value):
    key = key_prefix + "override.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"hello")
    for name in ("response-content-type", "response-content-disposition"):
        answer = send(s3_endpoint[0], service_key, "GET", f"{BUCKET}/{key}", params={name: value})
        assert (answer.status_code, code(answer)) == (400, "InvalidArgument"), name
        assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("upload_id", ["\x00", "a\nb", "x\x7f"])
def test_an_upload_id_with_control_characters_is_no_such_upload(s3_endpoint, service_key, key_prefix, upload_id):
    key = f"{BUCKET}/{key_prefix}mp.bin"
    for method, params in (("DELETE", {}), ("GET", {}), ("PUT", {"partNumber": "1"})):
        answer = send(s3_endpoint[0], service_key, method, key, params={"uploadId": upload_id, **params})
        assert (answer.status_code, code(answer)) == (404, "NoSuchUpload"), method
        assert upload_id not in answer.text  # an XML document cannot carry it


def test_an_error_naming_a_control_character_is_still_xml(s3_endpoint, service_key):
    from xml.etree.ElementTree import fromstring

    answer = send(s3_endpoint[0], service_key, "GET", f"{BUCKET}/a%01b%0Bc")
    assert answer.status_code == 400
    document = fromstring(answer.content)  # SDKs parse it to read the code
    assert document.findtext("Code") == "InvalidArgument"
