"""Text previews on a file's page: the console reads at most 128 KiB through the gateway and renders them."""

from __future__ import annotations

import pytest

from console.models import AuditEvent
from storage.factory import get_gateway
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def page(client, key: str, data: bytes, content_type: str | None = None) -> str:
    get_gateway().simple_upload("primary", key, data, content_type=content_type)
    response = client.get(url(f"object/?key={key}"))
    assert response.status_code == 200
    return response.content.decode()


def test_plain_text_is_shown_by_the_console_without_the_storages_cors(as_viewer, key_prefix):
    html = page(as_viewer, key_prefix + "notes.txt", b"hello <b>there</b>", "text/plain")
    assert '<pre class="text-preview" tabindex="0" aria-label="notes.txt">hello &lt;b&gt;there&lt;/b&gt;</pre>' in html


def test_markdown_is_rendered_with_links_to_its_neighbours(as_viewer, key_prefix):
    html = page(as_viewer, key_prefix + "docs/README.md", b"# Hello\n\n[next](next.md) <script>x</script>")
    assert "<h1>Hello</h1>" in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert f'href="/files/primary/object/?key={key_prefix.replace("/", "%2F")}docs%2Fnext.md"' in html


def test_a_large_file_is_read_only_up_to_the_limit_and_says_so(as_viewer, key_prefix, monkeypatch):
    gateway = get_gateway()
    asked = []
    original = type(gateway).open_object
    monkeypatch.setattr(type(gateway), "open_object",
                        lambda self, *a, **kw: asked.append(kw.get("range")) or original(self, *a, **kw))
    html = page(as_viewer, key_prefix + "big.csv", b"a,b\n" + b"1,2\n" * 300_000, "text/csv")
    assert asked == [(0, 128 * 1024 - 1)]
    assert "Showing the first 128.0\xa0KB of 1.1\xa0MB." in html and "Showing the first 100 rows." in html
    assert html.count("<td>1</td>") == 100


def test_a_preview_is_part_of_the_pages_one_audit_row(as_viewer, key_prefix):
    page(as_viewer, key_prefix + "data.json", b'{"a": [1, 2]}', "application/json")
    assert list(AuditEvent.objects.filter(kind__startswith="object.").values_list("kind", flat=True)) == [
        "object.viewed"]


def test_a_file_that_vanishes_between_the_look_and_the_read_is_a_sentence(as_viewer, key_prefix, monkeypatch):
    from storage.gateway import ObjectNotFound

    def gone(self, *args, **kwargs):
        raise ObjectNotFound("The file is no longer there.")

    monkeypatch.setattr(type(get_gateway()), "open_object", gone)
    html = page(as_viewer, key_prefix + "gone.md", b"# soon gone")
    assert "The preview could not be read: The file is no longer there." in html


def test_a_version_is_read_and_rendered_once_and_a_new_version_again(as_viewer, key_prefix, monkeypatch):
    gateway = get_gateway()
    reads = []
    original = type(gateway).open_object
    monkeypatch.setattr(type(gateway), "open_object", lambda self, *a, **kw: reads.append(a) or original(self, *a, **kw))
    key = key_prefix + "notes.md"
    assert "<h1>First</h1>" in page(as_viewer, key, b"# First")
    assert "<h1>First</h1>" in as_viewer.get(url(f"object/?key={key}")).content.decode()
    assert len(reads) == 1
    assert "<h1>Second</h1>" in page(as_viewer, key, b"# Second")
    assert len(reads) == 2


def test_a_storage_that_ignores_the_range_is_read_only_up_to_the_limit(as_viewer, key_prefix, monkeypatch):
    gateway = get_gateway()
    original = type(gateway).open_object
    streams = []

    def whole_object(self, connection, key, **kwargs):  # as a storage answering 200 to a ranged GET would
        streams.append(original(self, connection, key))
        return streams[-1]

    monkeypatch.setattr(type(gateway), "open_object", whole_object)
    html = page(as_viewer, key_prefix + "big.txt", b"x" * (1024 * 1024), "text/plain")
    assert streams[0].received == 128 * 1024
    assert "Showing the first 128.0\xa0KB of 1.0\xa0MB." in html
