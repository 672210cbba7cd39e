"""A share link works only while its creator could make it again: suspended at once when they lose the access
(410 "This link is no longer available"), working again when it comes back before the link expires.

The grant behind each link here is the team editor's (A:team/, tests/unit/access_world.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.access.models import Grant
from console.shares import service
from console.shares.models import ShareLink
from tests.unit.access_world import grant

GONE = b"This link is no longer available"


@pytest.fixture
def link(matrix_world):
    """A managed link to team/readme.txt made by the team editor, and its public address."""
    share, token = service.create_share(user=matrix_world.people["team"], kind=ShareLink.Kind.FILE,
                                        connection="primary", key="team/readme.txt")
    return share, reverse("share_public", args=[token])


def visit(url: str):
    return Client().get(url)


def state_in_list(matrix_world, share: ShareLink) -> str:
    """What the admin's share list says about the link: its state and why it is suspended."""
    page = matrix_world.client("admin").get(reverse("share_list"), {"status": "all"}).content.decode()
    row = page.split(f'value="{share.pk}"', 1)[1].split("</tr>", 1)[0]
    return " ".join(row.split("State")[-1].split())


def test_a_link_is_suspended_when_the_grant_behind_it_goes_and_works_when_it_returns(matrix_world, link):
    share, url = link
    assert visit(url).status_code == 200 and "active" in state_in_list(matrix_world, share)
    Grant.objects.filter(user=matrix_world.people["team"]).delete()
    for path in ("", "download/", "preview/"):
        answer = visit(url + path)
        assert answer.status_code == 410 and GONE in answer.content, path
    listed = state_in_list(matrix_world, share)
    assert "suspended" in listed and "team no longer holds the editor role on primary:team/readme.txt" in listed
    grant(matrix_world.people["team"], "editor", "team/")
    assert visit(url).status_code == 200
    assert visit(url + "download/").status_code == 302
    assert "suspended" not in state_in_list(matrix_world, share)


def test_a_grant_weakened_to_viewer_or_moved_to_another_folder_suspends_the_link(matrix_world, link):
    share, url = link
    Grant.objects.filter(user=matrix_world.people["team"]).update(role="viewer")
    assert visit(url).status_code == 410
    Grant.objects.filter(user=matrix_world.people["team"]).update(role="editor", prefix="team/sub/")
    assert visit(url).status_code == 410
    Grant.objects.filter(user=matrix_world.people["team"]).update(prefix="team/")
    assert visit(url).status_code == 200


def test_a_deactivated_creator_suspends_every_link_until_reactivated(matrix_world, link):
    share, url = link
    team = matrix_world.people["team"]
    team.is_active = False
    team.save()
    assert visit(url).status_code == 410
    assert "suspended" in state_in_list(matrix_world, share) and "team is deactivated." in state_in_list(
        matrix_world, share)
    team.is_active = True
    team.save()
    assert visit(url).status_code == 200


def test_a_link_made_through_a_group_grant_goes_with_the_group(matrix_world):
    dana = matrix_world.people["nogrant"]
    finance = Group.objects.create(name="finance")
    Grant.objects.create(connection=Grant.objects.first().connection, group=finance, role="editor", prefix="team/")
    dana.groups.add(finance)
    _, token = service.create_share(user=dana, kind=ShareLink.Kind.FILE, connection="primary", key="team/readme.txt")
    assert visit(reverse("share_public", args=[token])).status_code == 200
    dana.groups.remove(finance)
    assert visit(reverse("share_public", args=[token])).status_code == 410


def test_a_link_whose_access_returns_after_it_expired_stays_expired(matrix_world, link):
    share, url = link
    Grant.objects.filter(user=matrix_world.people["team"]).delete()
    ShareLink.objects.filter(pk=share.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    grant(matrix_world.people["team"], "editor", "team/")
    answer = visit(url)
    assert answer.status_code == 410 and b"expired" in answer.content


def test_a_drop_box_takes_no_upload_once_its_creator_lost_the_folder(matrix_world):
    _, token = service.create_share(user=matrix_world.people["team"], kind=ShareLink.Kind.DROPBOX,
                                    connection="primary", key="team/inbox/", max_upload_size=1024)
    policy = reverse("share_upload_policy", args=[token])
    body = '{"filename": "a.txt", "size": 3, "type": "text/plain"}'
    assert Client().post(policy, body, content_type="application/json").status_code == 200
    Grant.objects.filter(user=matrix_world.people["team"]).delete()
    assert Client().post(policy, body, content_type="application/json").status_code == 410


def test_the_creators_own_list_says_why_while_they_keep_another_grant(matrix_world, link):
    share, _ = link
    team = matrix_world.people["team"]
    grant(team, "editor", "other/")
    Grant.objects.filter(user=team, prefix="team/").delete()
    page = matrix_world.client("team").get(reverse("share_list")).content.decode()
    assert "suspended" in page and "no longer holds the editor role on primary:team/readme.txt" in page


def test_a_link_does_not_outlive_its_connection_even_when_one_of_that_name_comes_back(matrix_world):
    """An admin's link (an admin holds every role, on every connection present and future) must not come back to
    life in a new connection given the deleted one's name, which may well be another bucket."""
    from tests.unit.admin_support import make_connection

    share, token = service.create_share(user=matrix_world.people["admin"], kind=ShareLink.Kind.FILE,
                                        connection="primary", key="docs/readme.txt")
    url = reverse("share_public", args=[token])
    assert visit(url).status_code == 200
    deleted = matrix_world.client("admin").post(reverse("connection_delete", args=["primary"]))
    assert deleted.status_code == 302
    make_connection("primary", is_default=True)
    for path in ("", "download/", "preview/"):
        answer = visit(url + path)
        assert answer.status_code == 410 and GONE in answer.content, path
    assert "The connection primary was deleted after this link was made" in state_in_list(matrix_world, share)
