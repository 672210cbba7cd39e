"""Share links end to end: the console decides, S3 serves the bytes."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.models import AuditEvent
from console.shares.models import ShareLink
from storage.factory import get_gateway


@pytest.fixture
def stored(seaweed_connection, key_prefix):
    """Put an object and return its key."""

    def put(name: str, body: bytes = b"shared bytes", content_type: str = "text/plain") -> str:
        key = key_prefix + name
        get_gateway().simple_upload("primary", key, body, content_type=content_type)
        return key

    return put


def create_link(client, key: str, **fields) -> str:
    data = {"connection": "primary", "key": key, "kind": "managed", "expires": "604800", **fields}
    response = client.post(reverse("share_new"), data)
    assert response.status_code == 200, response.content[:500]
    match = re.search(r'value="(http://testserver/s/[^"]+/)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1).replace("http://testserver", "")


def follow_to_s3(response) -> requests.Response:
    assert response.status_code == 302, response.status_code
    return requests.get(response["Location"], timeout=10)


def test_a_visitor_downloads_a_managed_link_straight_from_s3(as_editor, stored):
    key = stored("report.txt", b"the report")
    link = create_link(as_editor, key)
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and b"report.txt" in page.content
    assert page["Referrer-Policy"] == "same-origin"  # the token in the address never reaches another site
    redirect = visitor.get(link + "download/")
    assert redirect["Referrer-Policy"] == "no-referrer"
    assert redirect["Location"].startswith("http://127.0.0.1:")  # the bytes come from S3, not Django
    assert follow_to_s3(redirect).content == b"the report"
    share = ShareLink.objects.get()
    assert share.download_count == 1 and share.last_used_at is not None
    assert AuditEvent.objects.filter(kind="share.downloaded", target=key).count() == 1


def test_the_token_is_stored_only_as_a_hash(as_editor, stored):
    link = create_link(as_editor, stored("a.txt"))
    token = link.strip("/").split("/")[-1]
    assert len(token) >= 22  # >= 128 bits of randomness
    share = ShareLink.objects.get()
    assert token not in share.token_hash and len(share.token_hash) == 64


def test_the_owner_sees_the_new_link_once_more_on_the_shares_page(as_editor, stored):
    link = create_link(as_editor, stored("a.txt"))
    assert link in as_editor.get(reverse("share_list")).content.decode()
    assert link not in as_editor.get(reverse("share_list")).content.decode()


def test_a_raw_link_is_a_presigned_url_limited_to_seven_days(as_editor, stored):
    key = stored("raw.txt", b"raw bytes")
    response = as_editor.post(reverse("share_new"), {"connection": "primary", "key": key, "kind": "raw",
                                                     "expires": "900"})
    url = re.search(r'value="(http://127\.0\.0\.1[^"]+)"', response.content.decode()).group(1)
    url = url.replace("&amp;", "&")
    assert "X-Amz-Expires=900" in url and b"cannot be revoked" in response.content
    assert requests.get(url, timeout=10).content == b"raw bytes"
    too_long = as_editor.post(reverse("share_new"), {"connection": "primary", "key": key, "kind": "raw",
                                                     "expires": "2592000"})
    assert b"at most 7 days" in too_long.content


def test_a_link_expires_at_the_console(as_editor, stored, monkeypatch):
    link = create_link(as_editor, stored("soon.txt"), expires="3600")
    assert Client().get(link).status_code == 200
    later = timezone.now() + dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    gone = Client().get(link)
    assert gone.status_code == 410 and b"expired" in gone.content
    assert Client().get(link + "download/").status_code == 410


def test_managed_links_can_outlive_seven_days(as_editor, stored, monkeypatch):
    link = create_link(as_editor, stored("long.txt", b"still here"), expires="custom", custom_days="30")
    later = timezone.now() + dt.timedelta(days=29)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert follow_to_s3(Client().get(link + "download/")).content == b"still here"


def test_revocation_takes_effect_on_the_next_request(as_editor, stored):
    link = create_link(as_editor, stored("r.txt"))
    visitor = Client()
    assert visitor.get(link).status_code == 200
    share = ShareLink.objects.get()
    as_editor.post(reverse("share_revoke"), {"share": [share.pk]})
    response = visitor.get(link)
    assert response.status_code == 410 and b"revoked" in response.content
    assert visitor.get(link + "download/").status_code == 410
    assert AuditEvent.objects.filter(kind="share.revoked").count() == 1


def test_a_download_limit_is_enforced(as_editor, stored):
    link = create_link(as_editor, stored("limited.txt"), max_downloads="2")
    visitor = Client()
    assert visitor.get(link + "download/").status_code == 302
    assert visitor.get(link + "download/").status_code == 302
    third = visitor.get(link + "download/")
    assert third.status_code == 410 and b"download limit" in third.content


def test_unknown_tokens_look_exactly_like_a_wrong_password(as_editor, stored, monkeypatch):
    link = create_link(as_editor, stored("secret.txt"), password="open sesame")
    token = link.strip("/").split("/")[-1]
    assert Client().get(link).status_code == 200  # the password page
    hashes = []
    from console.shares import service

    real_check = service.check_password
    monkeypatch.setattr(service, "check_password", lambda *a: hashes.append(1) or real_check(*a))
    wrong = Client().post(link, {"password": "nope"})
    unknown = Client().post("/s/" + "x" * len(token) + "/", {"password": "nope"})
    assert wrong.status_code == unknown.status_code == 404
    normalise = lambda r: re.sub(r"/s/[^/]+/|csrfmiddlewaretoken\" value=\"[^\"]+", "", r.content.decode())  # noqa: E731
    assert normalise(wrong) == normalise(unknown)
    assert hashes == [1, 1], "both paths pay for one password hash"
    assert Client().get("/s/" + "y" * len(token) + "/").status_code == 404


def test_the_password_unlocks_the_link_and_attempts_are_throttled(as_editor, stored):
    link = create_link(as_editor, stored("p.txt", b"protected"), password="open sesame")
    visitor = Client()
    assert visitor.get(link + "download/").status_code == 200  # still the password page
    for _ in range(5):
        assert visitor.post(link, {"password": "wrong"}).status_code == 404
    assert visitor.post(link, {"password": "open sesame"}).status_code == 429
    friend = Client(REMOTE_ADDR="10.1.2.3")
    assert friend.post(link, {"password": "open sesame"}).status_code == 302
    assert follow_to_s3(friend.get(link + "download/")).content == b"protected"


def test_unicode_names_download_with_the_right_file_name(as_editor, stored):
    link = create_link(as_editor, stored("résumé final 履歴書.txt", b"cv"))
    answer = follow_to_s3(Client().get(link + "download/"))
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "résumé final 履歴書.txt"


def test_a_folder_link_lists_and_serves_only_its_folder(as_editor, stored, key_prefix):
    stored("shared/a.txt", b"A")
    stored("shared/sub/b.txt", b"B")
    stored("private.txt", b"P")
    link = create_link(as_editor, key_prefix + "shared/")
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "a.txt" in page and "sub/" in page and "private.txt" not in page
    assert "b.txt" in visitor.get(link + "?path=sub/").content.decode()
    assert follow_to_s3(visitor.get(link + "download/?key=sub/b.txt")).content == b"B"
    assert visitor.get(link + "download/?key=../private.txt").status_code == 404
    assert ShareLink.objects.get().download_count == 1


def test_viewers_cannot_share_and_editors_see_only_their_links(as_editor, as_viewer, as_admin, stored, users):
    key = stored("x.txt")
    assert as_viewer.get(reverse("share_new"), {"connection": "primary", "key": key}).status_code == 403
    create_link(as_editor, key)
    create_link(as_admin, key)
    shown = f">primary:{key}</span>"  # the object's cell (its full value also rides in data-full)
    assert as_editor.get(reverse("share_list")).content.decode().count(shown) == 1
    assert as_admin.get(reverse("share_list")).content.decode().count(shown) == 2


def test_the_dialog_is_a_partial_for_htmx(as_editor, stored):
    key = stored("h.txt")
    response = as_editor.get(reverse("share_new"), {"connection": "primary", "key": key}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content and b"share-dialog" in response.content


def test_every_special_key_shares_and_downloads_byte_exact(stored, users):
    from console.shares import service
    from tests.integration.special_keys import SPECIAL_NAMES

    visitor = Client()
    for name in SPECIAL_NAMES:
        key = stored("corpus/" + name, name.encode())
        _share, token = service.create_share(user=users["editor"], kind="file", connection="primary", key=key)
        link = reverse("share_public", args=[token])
        assert visitor.get(link).status_code == 200, name
        answer = follow_to_s3(visitor.get(link + "download/"))
        assert answer.content == name.encode(), name
        filename = unquote(answer.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
        assert filename == name.rsplit("/", 1)[-1], name


def test_keys_the_rules_refuse_cannot_be_shared(as_editor, seaweed_connection):
    from tests.integration.special_keys import REFUSED_KEYS

    for key in REFUSED_KEYS:
        response = as_editor.post(reverse("share_new"), {"connection": "primary", "key": key, "kind": "managed",
                                                         "expires": "3600"})
        assert response.status_code == 400 and b"The key " in response.content, key
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("loss", ["deactivated", "demoted to viewer", "deleted"])
def test_a_link_stops_working_when_its_creator_loses_access(as_editor, stored, users, loss):
    from django.contrib.auth.models import Group

    link = create_link(as_editor, stored("team.txt"))
    assert Client().get(link).status_code == 200
    editor = users["editor"]
    if loss == "deactivated":
        editor.is_active = False
        editor.save()
    elif loss == "demoted to viewer":
        editor.groups.set([Group.objects.get(name="viewer")])
    else:
        editor.delete()
    for path in ("", "download/"):
        answer = Client().get(link + path)
        assert answer.status_code == 410 and b"no longer has access" in answer.content


def test_revoke_ignores_ids_that_only_look_like_numbers(as_editor, stored):
    """'²'.isdigit() is True but int('²') raises: that was a 500, not a revoke of nothing."""
    link = create_link(as_editor, stored("superscript.txt"))
    share = ShareLink.objects.get()
    response = as_editor.post(reverse("share_revoke"), {"share": ["²", "৩", str(share.pk)]})
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert Client().get(link).status_code == 410
