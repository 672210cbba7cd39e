"""Gallery thumbnails (issue #16): a signed GET per tile without a HEAD, one audit row per page, kept a minute."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from console.files import gallery
from console.models import AuditEvent
from tests.unit.access_world import grant
from tests.unit.admin_support import BUCKET
from tests.unit.gateway_calls import recorded

PICS = "/files/primary/?prefix=docs/pics/&view=gallery"


@pytest.fixture
def heads(monkeypatch) -> list[str]:
    """Questions about one file sent to the storage (HEAD: get_object_meta)."""
    return recorded(monkeypatch, "get_object_meta")


def _put(moto_s3, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key="docs/pics/" + name, Body=b"x" * size)


def _thumbnails(html: str) -> list[str]:
    return [src.replace("&amp;", "&") for src in re.findall(r'<img src="([^"]+)" alt="" loading="lazy"', html)]


def test_a_gallery_page_is_one_audit_row_and_its_thumbnails_no_head_and_no_row_each(world, moto_world_s3, heads):
    _put(moto_world_s3, {f"p{i}.png": 10 for i in range(5)} | {"logo.svg": 10, "notes.txt": 3})
    client = world.client("viewer")
    sources = _thumbnails(client.get(PICS).content.decode())
    assert len(sources) == 6 and all(src.startswith("/files/primary/thumbnail/?t=") for src in sources)
    answers = [client.get(src) for src in sources]
    assert [a.status_code for a in answers] == [302] * 6 and heads == []
    assert {a["Cache-Control"] for a in answers} == {"private, max-age=60"}  # the URL lasts 300 s
    rows = list(AuditEvent.objects.filter(kind__startswith="object").values_list("kind", "target", "detail"))
    assert rows == [("objects.thumbnails_shown", "docs/pics/",
                     {"objects": 6, "first": "docs/pics/logo.svg", "last": "docs/pics/p4.png"})]
    signed = {urlsplit(a["Location"]).path.rsplit("/", 1)[-1]: parse_qs(urlsplit(a["Location"]).query)
              for a in answers}
    assert signed["p0.png"]["response-content-type"] == ["image/png"]
    assert signed["logo.svg"]["response-content-disposition"][0].startswith("attachment")  # never a page


def test_a_thumbnail_link_works_only_as_the_gallery_made_it_for_that_person(world, moto_world_s3, monkeypatch):
    monkeypatch.setattr(gallery, "THUMBNAIL_MAX_BYTES", 100)
    _put(moto_world_s3, {"cat.png": 50, "huge.png": 101, "notes.txt": 10})
    [src] = _thumbnails(world.client("viewer").get(PICS).content.decode())
    vouch = parse_qs(urlsplit(src).query)["t"][0]
    viewer = world.client("viewer")
    assert viewer.get(src).status_code == 302
    for forged in ("key=docs/pics/cat.png",  # no word from the listing
                   f"t={vouch}&key=docs/pics/huge.png",  # an image above the cap: the page made it no link
                   f"t={vouch}&key=docs/pics/notes.txt"):
        assert viewer.get("/files/primary/thumbnail/?" + forged).status_code == 404, forged
    assert world.client("editor").get(src).status_code == 404  # another person's link


def test_a_thumbnail_still_checks_access_on_every_request(world, moto_world_s3):
    moto_world_s3.put_object(Bucket=BUCKET, Key="docs/cat.png", Body=b"x")
    docs = grant(world.people["team"], "viewer", "docs/")
    [src] = _thumbnails(world.client("team").get("/files/primary/?prefix=docs/&view=gallery").content.decode())
    assert world.client("team").get(src).status_code == 302
    docs.delete()
    assert world.client("team").get(src).status_code == 404


def test_a_reload_asks_for_the_same_thumbnail_links_which_last_hours_not_forever(world, moto_world_s3, monkeypatch):
    """The same URL on a reload is what lets the browser use the redirect it kept; a link is no lasting pass."""
    from console.files import thumbnails

    _put(moto_world_s3, {"cat.png": 5})
    client = world.client("viewer")
    start = time.time() // thumbnails.PERIOD_SECONDS * thumbnails.PERIOD_SECONDS + 1  # a period just begun
    monkeypatch.setattr(time, "time", lambda: start)
    first = _thumbnails(client.get(PICS).content.decode())
    monkeypatch.setattr(time, "time", lambda: start + 30)  # the person reloads half a minute later
    assert _thumbnails(client.get(PICS).content.decode()) == first
    monkeypatch.setattr(time, "time", lambda: start + thumbnails.LINK_SECONDS - thumbnails.PERIOD_SECONDS)
    assert client.get(first[0]).status_code == 302
    monkeypatch.setattr(time, "time", lambda: start + thumbnails.LINK_SECONDS + thumbnails.PERIOD_SECONDS)
    assert client.get(first[0]).status_code == 404


def test_a_gallery_filtered_into_a_subfolder_is_audited_under_it_and_a_sorted_page_says_where_it_is(
        world, moto_world_s3):
    """A filter may hold a "/": prefix=docs/ with q=pics/ shows docs/pics/'s pictures, and the audit page's
    folder filter looks for them under docs/pics/."""
    _put(moto_world_s3, {"secret.png": 10, "other.png": 20})
    client = world.client("viewer")
    assert "thumbnail/?t=" in client.get("/files/primary/?prefix=docs/&q=pics/&view=gallery").content.decode()
    client.get(PICS + "&sort=size")
    rows = list(AuditEvent.objects.filter(kind="objects.thumbnails_shown").order_by("id").values_list(
        "target", "detail"))
    assert [target for target, _ in rows] == ["docs/pics/", "docs/pics/"]
    assert "order" not in rows[0][1]  # name order: its first and last names place the page
    assert (rows[1][1]["order"], rows[1][1]["at"], rows[1][1]["first"]) == ("size, largest first", 0,
                                                                            "docs/pics/other.png")


@pytest.mark.parametrize("period", ["\u00b2", "9" * 5000])  # a superscript two: isdigit() but not int()
def test_a_malformed_thumbnail_link_is_a_not_found_not_a_server_error(world, moto_world_s3, period):
    _put(moto_world_s3, {"cat.png": 10})
    answer = world.client("viewer").get("/files/primary/thumbnail/", {"key": "docs/pics/cat.png", "t": f"{period}.x"})
    assert answer.status_code == 404
