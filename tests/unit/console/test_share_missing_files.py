"""A file missing from a live share is 404, like any missing page: 410 says the link itself no longer works.

The links here are the team editor's (A:team/, tests/unit/access_world.py); A is moto.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from console.access.models import Grant
from console.shares import service
from console.shares.models import ShareLink
from tests.unit.admin_support import BUCKET


def share(matrix_world, kind: str, key: str) -> tuple[ShareLink, str]:
    made, token = service.create_share(user=matrix_world.people["team"], kind=kind, connection="primary", key=key)
    return made, reverse("share_public", args=[token])


def test_a_missing_file_in_a_live_folder_link_is_not_found_and_the_link_still_works(matrix_world):
    _folder, url = share(matrix_world, ShareLink.Kind.FOLDER, "team/")
    for path in ("download/?key=no-such-file.txt", "download/?key=sub/gone.txt"):
        missing = Client().get(url + path)
        assert missing.status_code == 404 and b"There is no such file in this share." in missing.content, path
        assert b"no longer available" not in missing.content
    page = Client().get(url)
    assert page.status_code == 200 and b"readme.txt" in page.content
    assert Client().get(url + "download/?key=readme.txt").status_code == 302


def test_a_file_link_whose_file_was_deleted_is_not_found(matrix_world, moto_world_s3):
    _file, url = share(matrix_world, ShareLink.Kind.FILE, "team/readme.txt")
    moto_world_s3.delete_object(Bucket=BUCKET, Key="team/readme.txt")
    for path in ("", "download/"):
        missing = Client().get(url + path)
        assert missing.status_code == 404 and b"The shared file is no longer there." in missing.content, path


def test_a_link_that_no_longer_works_is_gone_whatever_file_is_asked_for(matrix_world):
    revoked, revoked_url = share(matrix_world, ShareLink.Kind.FOLDER, "team/")
    service.revoke(ShareLink.objects.filter(pk=revoked.pk))
    _suspended, suspended_url = share(matrix_world, ShareLink.Kind.FOLDER, "team/sub/")
    for url, why in ((revoked_url, b"revoked"), (suspended_url, b"no longer available")):
        if url == suspended_url:
            Grant.objects.filter(user=matrix_world.people["team"]).delete()
        for path in ("", "download/?key=no-such-file.txt", "download/?key=readme.txt"):
            answer = Client().get(url + path)
            assert answer.status_code == 410 and why in answer.content, (url, path)
