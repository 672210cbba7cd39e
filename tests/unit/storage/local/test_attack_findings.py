"""Found by the s29 attack pass against local folders (each test here failed before its fix)."""

from __future__ import annotations

import hashlib
import os

import pytest

from storage.gateway import InvalidKey, InvalidRequest


def _listed(local, prefix: str) -> list[str]:
    try:
        page = local.list_objects("disk", prefix, delimiter="")
    except InvalidKey:
        return []
    return [o.key for o in page.objects]


@pytest.mark.parametrize("planted, prefix", [("objects/escape%", "escape/"), ("objects", "")])
def test_a_listing_never_walks_a_link_planted_out_of_the_folder(local, folder, tmp_path, planted, prefix):
    """A directory link planted in the folder is refused for reads and writes, but a listing of its prefix
    (or of everything, when `objects` itself is the link) walks it: names, sizes and MD5s of the files outside,
    each read whole to hash it, and a sidecar written for each."""
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwords.txt").write_text("hunter2")
    (folder / planted).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, folder / planted)
    assert _listed(local, prefix) == []
    assert not (folder / "meta").exists() or not any((folder / "meta").rglob("passwords.txt"))


def test_a_reader_that_opened_the_file_before_an_overwrite_keeps_the_new_files_metadata(local, monkeypatch):
    """A read that opened the old file just before an overwrite finds the new sidecar, waits, then works the old
    file's metadata out and writes it over the new sidecar: the new file's type, user metadata and ETag are lost
    for good (every later read works them out again from the bytes: octet-stream, no metadata)."""
    import storage.local.gateway as gateway_module

    local.simple_upload("disk", "report.txt", b"old", content_type="text/plain", metadata={"owner": "ann"})
    real = gateway_module.describe

    def an_overwrite_lands_first(*args):
        monkeypatch.setattr(gateway_module, "describe", real)
        local.simple_upload("disk", "report.txt", b"new!", content_type="image/png", metadata={"owner": "bob"})
        return real(*args)

    monkeypatch.setattr(gateway_module, "describe", an_overwrite_lands_first)
    with local.open_object("disk", "report.txt") as stream:
        assert stream.readall() == b"old"  # the reader had the old file open: it reads it whole, as S3's would
    meta = local.get_object_meta("disk", "report.txt")
    assert (meta.content_type, meta.metadata, meta.etag) == (
        "image/png", {"owner": "bob"}, hashlib.md5(b"new!").hexdigest())


@pytest.mark.django_db
def test_a_signed_put_with_a_metadata_name_holding_an_underscore_is_refused_when_signed(settings, folder):
    """`my_field` is a valid metadata name (storage.user_metadata), but a signed PUT into a local folder could
    never match its signature: Django reads the header back as `my-field` (and runserver, gunicorn and nginx drop
    headers with underscores). It is refused in words when the URL is asked for; other paths keep it."""
    from storage.factory import get_gateway, reset_gateways
    from storage.models import Connection

    settings.ALLOW_LOCAL_FOLDERS, settings.LOCAL_FOLDERS_URL = True, ""
    Connection.objects.create(name="disk", kind="local", local_root=str(folder), is_default=True)
    reset_gateways()
    try:
        with pytest.raises(InvalidRequest, match="use '-' instead"):
            get_gateway().get_upload_request("disk", "a.txt", 60, metadata={"my_field": "1"})
        get_gateway().simple_upload("disk", "a.txt", b"x", metadata={"my_field": "1"})
        assert get_gateway().get_object_meta("disk", "a.txt").metadata == {"my_field": "1"}
    finally:
        reset_gateways()
