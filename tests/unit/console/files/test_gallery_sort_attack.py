"""Attack pass (s26-atk2) on the whole-folder sort's snapshots and the gallery: each test is a finding, failing on main."""

from __future__ import annotations

import re

from console.files import sorted_snapshots
from console.files.sorted_listing import read_sorted
from console.files.views import browse
from tests.unit.access_world import grant
from tests.unit.admin_support import BUCKET


def _names(html: str) -> list[str]:
    return re.findall(r'data-full="([^"]+)"', html)


def _more(html: str) -> str:
    return re.search(r'hx-get="([^"]*at=2[^"]*)"', html).group(1).replace("&amp;", "&")


def _put(moto_s3, folder: str, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key=folder + name, Body=b"x" * size)


def test_load_more_from_a_snapshot_stops_showing_names_once_the_grant_is_revoked(world, moto_world_s3, monkeypatch):
    """A snapshot is served without asking the access rules again: for five minutes after a grant on docs/
    is removed, "load more" still shows docs/'s names, sizes and dates to someone who may no longer see them."""
    sorted_snapshots.clear()
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20, "z.txt": 999})
    docs = grant(world.people["team"], "viewer", "docs/")
    client = world.client("team")
    more = _more(client.get("/files/primary/?prefix=docs/pics/&sort=size").content.decode())
    docs.delete()
    client = world.client("team")  # a fresh request: nothing of the old holdings cached on the user
    assert client.get("/files/primary/?prefix=docs/pics/&sort=size").status_code == 404  # the first page: gone
    rest = client.get(more, HTTP_HX_REQUEST="true")
    assert rest.status_code == 404 and "c.txt" not in rest.content.decode()


def test_one_person_cannot_evict_everyone_elses_snapshots_with_a_few_filters(world, moto_world_s3, monkeypatch):
    """MAX_SNAPSHOTS (8) is shared by every person, and each `q` (or folder, or order) is a new owner: eight
    cheap requests by one viewer push out everyone else's readings, so each of their "load more" clicks lists
    up to 10,000 keys again (and the viewer's eight requests listed up to 80,000)."""
    sorted_snapshots.clear()
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    reads = []
    monkeypatch.setattr(browse, "read_sorted", lambda *a, **k: reads.append(1) or read_sorted(*a, **k))
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20, "z.txt": 999})
    more = _more(world.client("editor").get("/files/primary/?prefix=docs/pics/&sort=size").content.decode())
    viewer = world.client("viewer")
    for q in "abcdefgh":
        viewer.get(f"/files/primary/?prefix=docs/pics/&sort=size&q={q}")
    before = len(reads)
    world.client("editor").get(more, HTTP_HX_REQUEST="true")
    assert len(reads) == before  # the editor's reading is still there: nothing listed again


def test_a_thumbnail_is_promised_only_for_pictures_the_storage_will_send_as_pictures(world, moto_world_s3):
    """The gallery guessed "image" from Python's type table (.tif, .heic, .xbm, .jpe...), but the signed link
    sends those as application/octet-stream attachments: a broken tile and lightbox, and a download of up to
    5 MB each for nothing. SVG stays a thumbnail: <img> runs no script, and its link says image/svg+xml."""
    _put(moto_world_s3, "docs/pics/", {"scan.tif": 5, "photo.heic": 5, "old.xbm": 5, "cam.jpe": 5, "logo.svg": 5,
                                       "cat.jpg": 5})
    html = world.client("viewer").get("/files/primary/?prefix=docs/pics/&view=gallery").content.decode()
    thumbnails = re.findall(r'<img src="[^"]+key=docs%2Fpics%2F([^"]+)" alt=""', html)
    assert thumbnails == ["cat.jpg", "logo.svg"]
