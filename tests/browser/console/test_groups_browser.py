"""An admin makes a group of two buckets by clicks; an editor uploads into it from the file manager."""

from __future__ import annotations

from playwright.sync_api import expect

from storage import cors
from storage.dev.bootstrap import ensure_bucket
from storage.factory import get_gateway
from storage.gateway import ObjectNotFound
from storage.models import Connection
from tests.browser.conftest import sign_in, signed_in
from tests.browser.console.files.test_files_browser import choose_files, open_folder
from tests.conftest import PASSWORD, seaweed_spec

SECOND_BUCKET = "console-browser-second"


def second_connection(seaweedfs, live_server) -> Connection:
    spec = seaweed_spec(seaweedfs, name="second", bucket=SECOND_BUCKET, is_default=False)
    ensure_bucket(spec)
    connection = Connection.objects.create(
        name=spec.name, endpoint=spec.endpoint, region=spec.region, access_key_id=spec.access_key_id,
        secret_access_key=spec.secret_access_key, bucket=spec.bucket, use_ssl=False)
    get_gateway().put_bucket_cors("second", [cors.needed_rule([live_server.url])])
    return connection


def holders(key: str) -> list[str]:
    found = []
    for member in ("primary", "second"):
        try:
            get_gateway().get_object_meta(member, key)
            found.append(member)
        except ObjectNotFound:
            pass
    return found


def test_an_admin_groups_two_buckets_and_an_editor_uploads_into_the_group(
        page, chromium, users, live_server, seaweedfs, browser_connection, key_prefix, tmp_path):
    second_connection(seaweedfs, live_server)
    admin = signed_in(page, users["admin"], live_server)
    admin.goto("/connections/")
    admin.get_by_role("link", name="Add a group").click()
    admin.get_by_label("Name").fill("both")
    admin.get_by_label("primary", exact=True).check()
    admin.get_by_label("second", exact=True).check()
    admin.get_by_label("Where new files go").select_option("hash")
    admin.get_by_role("button", name="Create").click()
    expect(admin.get_by_text("Group 'both' was created.")).to_be_visible()
    expect(admin.locator("#connections")).to_contain_text("a group of primary, second")

    editor = chromium.new_context(base_url=live_server.url).new_page()
    sign_in(editor, users["editor"], PASSWORD)
    names = [f"file {i}.txt" for i in range(12)]  # all on one member: 1 chance in 2,048
    paths = []
    for name in names:
        paths.append(tmp_path / name)
        paths[-1].write_text(f"bytes of {name}")
    open_folder(editor, key_prefix, connection="both")
    choose_files(editor, paths)
    editor.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    listing = editor.locator("#listing")
    for name in names:
        listing.get_by_role("link", name=name, exact=True).wait_for()
    where = {name: holders(key_prefix + name) for name in names}
    assert all(len(found) == 1 for found in where.values()), where
    assert {found[0] for found in where.values()} == {"primary", "second"}, "the files spread over both buckets"
    assert get_gateway().download_file("both", key_prefix + names[0]) == b"bytes of file 0.txt"
