"""Found by the s29 attack pass: a tampered group listing token is refused in words, not a 500.

`listing.decode` checks that the token names the group's members, but not the types of what it carries for
each: a number or a list where a member's token or start_after goes reaches the member's listing, which
compares it with keys (TypeError: a 500 on the file manager's page and in the API) or hands it to boto3.
"""

from __future__ import annotations

import base64
import json

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.factory import community_gateway
from storage.gateway import InvalidRequest


def _token(rows) -> str:
    return base64.urlsafe_b64encode(json.dumps(rows).encode()).decode().rstrip("=")


@pytest.fixture
def group(settings, tmp_path):
    settings.ALLOW_LOCAL_FOLDERS = True
    specs = [ConnectionSpec(name, kind="local", local_root=str(tmp_path / name)) for name in ("a", "b")]
    for spec in specs:
        (tmp_path / spec.name).mkdir()
    gateway = community_gateway(StaticRegistry([*specs, ConnectionSpec("g", kind="group", members=("a", "b"))]))
    for key in [f"file-{n}.txt" for n in range(20)]:  # on both members
        gateway.simple_upload("g", key, b"x")
    return gateway


@pytest.mark.parametrize("cursor", [[7, None, 0, False], [None, ["x"], 0, False], [None, None, "many", False]])
def test_a_listing_token_tampered_in_its_types_is_refused_in_words(group, cursor):
    tampered = _token([["a", *cursor], ["b", None, None, 0, False]])
    with pytest.raises(InvalidRequest, match="not one this group handed out"):
        group.list_objects("g", "", token=tampered)
