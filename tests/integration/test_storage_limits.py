"""Limits SeaweedFS puts on keys, measured, and the console refusing them before signing (issue #11 item 13).

SeaweedFS 4.48: a key's own name (its last segment; a folder marker's folder name) holds at
most 255 bytes in UTF-8 (`KeyTooLongError` beyond); the folders above it are limited only by
the whole key's 1,024 bytes, which the key rules enforce for every storage.
"""

from __future__ import annotations

import html
import io

import pytest
import requests

from console.jobs.models import Job
from storage.connections import StaticRegistry
from storage.factory import get_gateway
from storage.gateway import InvalidKey, ObjectNotFound, StorageError
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec
from tests.integration.files_support import post_json, url

TOO_LONG = "accepts file and folder names of at most 255 bytes. Choose a shorter name."


@pytest.fixture
def unaware(seaweedfs):
    """A gateway that does not know which storage it talks to (as behind a proxy that hides `Server`)."""
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))
    gateway._server = lambda spec: None
    return gateway


@pytest.fixture
def gateway(seaweedfs):
    return S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))


def put_signed(gateway, key: str, data: bytes = b"x") -> requests.Response:
    upload = gateway.get_upload_request("primary", key, 60, size=len(data))
    return requests.put(upload.url, data=data, headers=upload.headers, timeout=10)


@pytest.mark.parametrize(("name", "accepted"), [
    ("a" * 255, True), ("a" * 256, False), ("é" * 127, True), ("é" * 128, False), ("中" * 85, True),
    ("中" * 86, False), ("📈" * 63, True), ("📈" * 64, False), ("a" * 904, False),
])
def test_seaweedfs_takes_names_of_at_most_255_bytes(unaware, key_prefix, name, accepted):
    answer = put_signed(unaware, key_prefix + name)
    if accepted:
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 400 and "<Code>KeyTooLongError</Code>" in answer.text


def test_seaweedfs_limits_folder_names_the_same_but_not_the_folders_above_a_name(unaware, key_prefix):
    unaware.simple_upload("primary", key_prefix + "m" * 255 + "/", b"")
    with pytest.raises(StorageError):
        unaware.simple_upload("primary", key_prefix + "m" * 256 + "/", b"")
    deep = key_prefix + "f" * (1024 - len(key_prefix) - len("/x.txt")) + "/x.txt"  # 1,024 bytes in all
    assert put_signed(unaware, deep, b"deep").status_code == 200
    assert unaware.download_file("primary", deep) == b"deep"


def test_the_gateway_knows_seaweedfs_and_refuses_a_long_name_before_signing(gateway, key_prefix):
    long_name = key_prefix + "a" * 904
    gateway.simple_upload("primary", key_prefix + "source.txt", b"s")
    for call in (lambda: gateway.get_upload_request("primary", long_name, 60, size=1),
                 lambda: gateway.simple_upload("primary", long_name, b"x"),
                 lambda: gateway.upload_file("primary", long_name, io.BytesIO(b"x"), 1),
                 lambda: gateway.create_multipart_upload("primary", long_name),
                 lambda: gateway.copy_object("primary", key_prefix + "source.txt", long_name),
                 lambda: gateway.simple_upload("primary", key_prefix + "m" * 256 + "/", b"")):
        with pytest.raises(InvalidKey, match=TOO_LONG):
            call()
    assert gateway.get_upload_request("primary", key_prefix + "a" * 255, 60, size=1).url


@pytest.mark.usefixtures("seaweed_connection")
def test_the_console_refuses_a_long_name_before_signing(as_editor, key_prefix):
    for path, size in (("s3/params", 5), ("s3/multipart", 20 * 1024 * 1024)):
        answer = post_json(as_editor, path, {"prefix": key_prefix, "relativePath": "a" * 904, "size": size})
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error.startswith("The file name 'aaaa") and "is 904 bytes long in UTF-8" in error
        assert error.endswith(TOO_LONG) and "url" not in answer.json()
    folder = as_editor.post(url("new-folder/"), {"prefix": key_prefix, "name": "m" * 256})
    assert TOO_LONG in html.unescape(folder.content.decode())
    get_gateway().simple_upload("primary", key_prefix + "short.txt", b"s")
    moved = as_editor.post(url("rename/"), {"key": key_prefix + "short.txt", "confirm": "yes", "op": "move",
                                            "folder": key_prefix, "name": "r" * 300, "conflict": "skip"})
    assert TOO_LONG in html.unescape(moved.content.decode()) and not Job.objects.exists()  # no job started
    assert [o.key for o in get_gateway().list_objects("primary", key_prefix).objects] == [key_prefix + "short.txt"]
    with pytest.raises(ObjectNotFound):
        get_gateway().get_object_meta("primary", key_prefix + "a" * 904)
