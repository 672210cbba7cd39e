"""Keys with spaces, URL syntax and Unicode survive upload, listing, download and delete."""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

import pytest
import requests

from storage.factory import get_gateway
from storage.gateway import ObjectNotFound
from tests.integration.files_support import upload_small, url
from tests.integration.special_keys import SPECIAL_NAMES

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def test_special_keys_round_trip_through_the_file_manager(as_editor, key_prefix):
    for index, name in enumerate(SPECIAL_NAMES):
        data = f"{index}:{name}".encode()
        key = upload_small(as_editor, key_prefix, name, data, "application/octet-stream")
        assert key == key_prefix + name, name

        folder, _, leaf = key.rpartition("/")
        listing = as_editor.get(url(f"?prefix={quote(folder + '/', safe='')}")).content.decode()
        assert f'value="{html.escape(key)}"' in listing, name

        answer = as_editor.get(url(f"download/?key={quote(key, safe='')}"))
        assert answer.status_code == 302, name
        got = requests.get(answer["Location"], timeout=10)
        assert got.content == data, name
        assert unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1]) == leaf, name

        assert as_editor.post(url("delete/"), {"key": key}).status_code == 302, name
        with pytest.raises(ObjectNotFound):
            get_gateway().get_object_meta("primary", key)
