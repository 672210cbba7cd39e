"""The console URLs a local folder hands out: only what was signed, only until it expires, bytes served safely."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from storage.factory import get_gateway, reset_gateways

pytestmark = pytest.mark.django_db


@pytest.fixture
def disk(settings, folder):
    from storage.models import Connection

    settings.ALLOW_LOCAL_FOLDERS, settings.LOCAL_FOLDERS_URL = True, ""
    Connection.objects.create(name="disk", kind="local", local_root=str(folder), is_default=True)
    reset_gateways()
    yield get_gateway()
    reset_gateways()


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)  # the signature is the authority, not a CSRF token


def _put(client, upload, body, **headers):
    extra = {"CONTENT_TYPE": upload.headers.get("Content-Type", ""),
             **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in upload.headers.items()
                if name != "Content-Type"}, **headers}
    return client.put(upload.url, body, **extra)


def test_a_signed_put_then_a_signed_get_round_trip_without_a_session(disk, browser):
    upload = disk.get_upload_request("disk", "docs/a.txt", 60, content_type="text/plain", size=5,
                                     metadata={"Owner": "ana"})
    assert upload.url.startswith("/local/disk/docs/a.txt?")
    answer = _put(browser, upload, b"hello")
    assert answer.status_code == 200 and answer["ETag"].startswith('"')
    meta = disk.get_object_meta("disk", "docs/a.txt")
    assert (meta.content_type, meta.metadata) == ("text/plain", {"owner": "ana"})
    download = browser.get(disk.get_download_url("disk", "docs/a.txt", 60, filename="a.txt"))
    assert b"".join(download.streaming_content) == b"hello"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("change", ["key", "size", "expires", "signature", "connection"])
def test_a_url_changed_in_any_signed_part_is_refused(disk, browser, change):
    url = disk.get_upload_request("disk", "a.txt", 60, size=5).url
    path, query = urlsplit(url).path, urlsplit(url).query
    changed = {"key": (path.replace("a.txt", "b.txt"), query),
               "size": (path, query.replace("size=5", "size=6")),
               "expires": (path, query.replace("expires=", "expires=9")),
               "signature": (path, query[:-1] + ("0" if query[-1] != "0" else "1")),
               "connection": (path.replace("/disk/", "/other/"), query)}[change]
    answer = browser.put(f"{changed[0]}?{changed[1]}", b"hello" if change != "size" else b"hello!",
                         content_type="")
    assert answer.status_code == 403 and b"SignatureDoesNotMatch" in answer.content
    assert disk.list_objects("disk", "").objects == []


def test_an_expired_url_is_refused_in_s3s_words(disk, browser, monkeypatch):
    url = disk.get_download_url("disk", "a.txt", 1)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    answer = browser.get(url)
    assert answer.status_code == 403 and b"Request has expired" in answer.content


def test_the_signed_size_and_type_are_enforced(disk, browser):
    upload = disk.get_upload_request("disk", "a.png", 60, content_type="image/png", size=4)
    assert _put(browser, upload, b"12345").status_code == 403
    assert _put(browser, upload, b"1234", CONTENT_TYPE="text/html").status_code == 403
    assert disk.list_objects("disk", "").objects == []
    assert _put(browser, upload, b"1234").status_code == 200


def test_an_upload_larger_than_the_connection_takes_is_refused(disk, browser):
    from storage import record_cache
    from storage.models import Connection

    Connection.objects.filter(name="disk").update(max_upload_size=3)
    record_cache.forget()
    answer = _put(browser, disk.get_upload_request("disk", "a.bin", 60), b"1234")
    assert answer.status_code == 400 and b"EntityTooLarge" in answer.content


def test_ranges_are_served_as_asked(disk, browser):
    disk.simple_upload("disk", "digits.txt", b"0123456789")
    url = disk.get_download_url("disk", "digits.txt", 60)
    part = browser.get(url, HTTP_RANGE="bytes=2-4")
    assert (part.status_code, b"".join(part.streaming_content), part["Content-Range"]) == (206, b"234", "bytes 2-4/10")
    tail = browser.get(url, HTTP_RANGE="bytes=-3")
    assert b"".join(tail.streaming_content) == b"789"
    assert browser.get(url, HTTP_RANGE="bytes=10-").status_code == 416


def test_active_content_is_never_shown_inline(disk, browser):
    disk.simple_upload("disk", "page.html", b"<script>alert(1)</script>", content_type="text/html")
    answer = browser.get(disk.get_download_url("disk", "page.html", 60, inline=True))
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["Content-Type"] == "application/octet-stream"
    picture = disk.get_download_url("disk", "page.html", 60, filename="p.png", inline=True)
    from storage.media_types import forces_safe_response

    assert forces_safe_response(picture, "p.png", inline=True)


@pytest.mark.parametrize("path", ["%2e%2e/%2e%2e/etc/passwd", "a/%2e%2e/b", "a%5cb", "a%00b"])
def test_encoded_escapes_in_the_path_are_refused(disk, browser, path):
    """A signature made for an escaping key still names an invalid key: the gateway refuses it."""
    from urllib.parse import unquote

    from storage.local.signing import Signed, expiry

    signed = Signed("GET", "disk", unquote(path), {"expires": expiry(60)})
    answer = browser.get(f"/local/disk/{path}?expires={signed.params['expires']}&signature={signed.signature()}")
    assert answer.status_code == 400 and b"InvalidObjectName" in answer.content


def test_a_part_url_stores_a_part_and_answers_its_etag(disk, browser):
    upload_id = disk.create_multipart_upload("disk", "big.bin")
    signed = disk.sign_upload_part("disk", "big.bin", upload_id, 1, 60)
    answer = browser.put(signed.url, b"part one", content_type="")
    assert answer.status_code == 200
    assert [(p.part_number, p.size, f'"{p.etag}"') for p in disk.list_parts("disk", "big.bin", upload_id)] == [
        (1, 8, answer["ETag"])]
