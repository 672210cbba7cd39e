"""The gallery view: thumbnails only for images under the cap, placeholders otherwise, the view remembered."""

from __future__ import annotations

import re

from console.files import gallery
from tests.unit.admin_support import BUCKET


def _put(moto_s3, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key="docs/pics/" + name, Body=b"x" * size)


def test_small_images_get_lazy_thumbnails_through_the_thumbnail_redirect_others_a_placeholder(world, moto_world_s3,
                                                                                            monkeypatch):
    monkeypatch.setattr(gallery, "THUMBNAIL_MAX_BYTES", 100)
    _put(moto_world_s3, {"cat.jpg": 50, "huge.png": 101, "notes.txt": 10})
    html = world.client("viewer").get("/files/primary/?prefix=docs/pics/&view=gallery").content.decode()
    thumbnails = re.findall(r'<img src="([^"]+)" alt="" loading="lazy"', html)
    assert len(thumbnails) == 1  # the thumbnail route, with the listing's word for "a picture, small enough"
    assert re.fullmatch(r"/files/primary/thumbnail/\?t=[^&]+&amp;key=docs%2Fpics%2Fcat.jpg", thumbnails[0])
    assert 'data-lightbox-src="/files/primary/preview/?key=docs%2Fpics%2Fcat.jpg"' in html  # full size: a preview
    assert 'data-lightbox-name="cat.jpg"' in html and "huge.png" in html and "notes.txt" in html
    assert "too large for a thumbnail" in html and '<dialog class="lightbox"' in html
    assert "<table" not in html


def test_the_view_is_remembered_until_the_list_is_asked_for(world, moto_world_s3):
    client = world.client("viewer")
    assert b'id="gallery-tiles"' in client.get("/files/primary/?prefix=docs/&view=gallery").content
    again = client.get("/files/primary/?prefix=team/").content.decode()
    assert 'id="gallery-tiles"' in again
    assert re.search(r'href="[^"]*view=list"[^>]*>List</a>', again)
    assert b'<table class="table files"' in client.get("/files/primary/?prefix=docs/&view=list").content
    assert b'<table class="table files"' in client.get("/files/primary/?prefix=docs/").content


def test_load_more_in_the_gallery_brings_tiles_not_rows(world, moto_world_s3, monkeypatch):
    from console.files.views import browse

    monkeypatch.setattr(browse, "PAGE_SIZE", 1)
    _put(moto_world_s3, {"a.jpg": 1, "b.jpg": 1})
    client = world.client("viewer")
    first = client.get("/files/primary/?prefix=docs/pics/&view=gallery").content.decode()
    more = re.search(r'<li class="tile more"><a class="button" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    tiles = client.get(more, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-lightbox-name="b.jpg"' in tiles and "<tr" not in tiles and tiles.lstrip().startswith("<li")


def test_names_show_their_invisible_characters_written_out_in_tiles_and_the_lightbox(world, moto_world_s3):
    _put(moto_world_s3, {"invoice\u202egnp.exe": 5, "photo\u202egnp.png": 5})
    html = world.client("viewer").get("/files/primary/?prefix=docs/pics/&view=gallery").content.decode()
    assert "\u202e" not in html
    assert 'data-lightbox-name="photo[U+202E]gnp.png"' in html and ">invoice[U+202E]gnp.exe<" in html
