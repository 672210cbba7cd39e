"""Objects served at /s3/ come from the console's own origin: a browser must never run them as its pages or code.

Anyone holding a key that may write a folder can store HTML and a script, and hand out a presigned link to
them (a week long). Opened by a signed-in admin, a page on the console's origin could call the console as
them (issue a key for everything and store its secret in the attacker's folder). So every S3 answer carries
a sandboxing Content-Security-Policy, and a browser asking for an object as a script or style is refused.
"""

from __future__ import annotations

import pytest
import requests

from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"
PAGE = b"<html><script src='/s3/primary/x.js'></script><script>document.title='ran'</script></html>"


@pytest.fixture
def presigning(s3_endpoint, service_key):
    return client_for(s3_endpoint[0], service_key, signature_version="s3v4")


def presigned_get(s3, key: str, **params) -> str:
    return s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key, **params}, ExpiresIn=600)


def test_an_html_object_opened_in_a_browser_is_sandboxed(presigning, key_prefix):
    key = key_prefix + "report.html"
    presigning.put_object(Bucket=BUCKET, Key=key, Body=PAGE, ContentType="text/html")
    answer = requests.get(presigned_get(presigning, key), headers={"Sec-Fetch-Dest": "document"}, timeout=10)
    assert answer.status_code == 200 and answer.content == PAGE  # the bytes as stored, for the tools
    policy = [d.strip() for d in answer.headers["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert not any(d.startswith("script-src") for d in policy)


def test_a_response_type_override_to_html_is_sandboxed_too(presigning, key_prefix):
    key = key_prefix + "notes.txt"
    presigning.put_object(Bucket=BUCKET, Key=key, Body=PAGE, ContentType="text/plain")
    answer = requests.get(presigned_get(presigning, key, ResponseContentType="text/html"), timeout=10)
    assert answer.headers["Content-Type"] == "text/html"
    assert "sandbox" in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize("destination", ["script", "style", "worker", "serviceworker"])
def test_a_browser_loading_an_object_as_code_is_refused(presigning, key_prefix, destination):
    key = key_prefix + "x.js"
    presigning.put_object(Bucket=BUCKET, Key=key, Body=b"document.title='ran'", ContentType="text/javascript")
    answer = requests.get(presigned_get(presigning, key), headers={"Sec-Fetch-Dest": destination}, timeout=10)
    assert answer.status_code == 403
    assert b"<Code>AccessDenied</Code>" in answer.content and b"document.title" not in answer.content


def test_tools_and_browser_fetches_still_read_the_object(presigning, s3, key_prefix):
    key = key_prefix + "x.js"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"code", ContentType="text/javascript")
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"code"
    answer = requests.get(presigned_get(presigning, key), headers={"Sec-Fetch-Dest": "empty"}, timeout=10)
    assert answer.status_code == 200 and answer.content == b"code"


def test_error_answers_are_sandboxed(s3_endpoint):
    answer = requests.get(s3_endpoint[0] + "/s3/primary/x", timeout=10)
    assert answer.status_code == 403 and "sandbox" in answer.headers["Content-Security-Policy"]



def test_a_host_the_console_does_not_answer_to_gets_s3_xml_not_a_page(s3_endpoint):
    answer = requests.get(s3_endpoint[0] + "/s3/primary/x", headers={"Host": "elsewhere.example"}, timeout=10)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/xml"
    assert b"<Code>InvalidRequest</Code>" in answer.content and b"<html" not in answer.content
