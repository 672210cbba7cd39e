"""Share links over real HTTP: concurrency and drop-box uploads checked by SeaweedFS."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.urls import reverse

from console.models import AuditEvent
from console.shares import service
from console.shares.models import ShareLink
from storage.factory import get_gateway
from tests.databases import Rendezvous


@pytest.fixture
def editor(users):
    return users["editor"]


def make_share(editor, key, **fields):
    share, token = service.create_share(user=editor, connection="primary", key=key, **fields)
    return share, token


def test_fifty_parallel_claims_on_a_twenty_download_link_count_exactly(live_server, seaweed_connection, editor,
                                                                       key_prefix, monkeypatch):
    key = key_prefix + "popular.txt"
    get_gateway().simple_upload("primary", key, b"popular")
    share, token = make_share(editor, key, kind="file", max_downloads=20)
    claims = Rendezvous(50)  # every request is inside its claim before any of them claims
    monkeypatch.setattr(service, "claim_download", claims.wrap(service.claim_download))
    url = live_server.url + reverse("share_download", args=[token])

    def attempt(_):
        return requests.get(url, allow_redirects=False, timeout=90).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(attempt, range(50)))
    assert len(claims.sessions) == 50  # 50 claims at once, on 50 database sessions
    assert statuses.count(302) == 20 and statuses.count(410) == 30, statuses
    share.refresh_from_db()
    assert share.download_count == 20
    assert AuditEvent.objects.filter(kind="share.downloaded", target=key).count() == 20


def visit_dropbox(live_server, token: str):
    """A new visitor (their own session) on the drop-box page; returns how they call its endpoints."""
    session = requests.Session()
    page = session.get(live_server.url + reverse("share_public", args=[token]), timeout=10)
    assert page.status_code == 200
    csrf = re.search(r'data-csrf="([^"]+)"', page.text).group(1)

    def call(name, body):
        return session.post(live_server.url + reverse(name, args=[token]), json=body,
                            headers={"X-CSRFToken": csrf}, timeout=10)

    return call


@pytest.fixture
def dropbox(live_server, seaweed_connection, editor, key_prefix):
    share, token = make_share(editor, key_prefix + "inbox/", kind="dropbox", max_upload_size=1000)
    share.token = token
    return share, visit_dropbox(live_server, token)


def post_file(policy: dict, body: bytes, **field_overrides):
    fields = {**policy["fields"], **field_overrides}
    return requests.post(policy["url"], data=fields, files={"file": ("f.bin", body)}, timeout=10)


def test_a_drop_box_upload_lands_in_s3_and_in_the_audit_log(dropbox, key_prefix):
    share, call = dropbox
    policy = call("share_upload_policy", {"filename": "notes é.txt", "size": 5}).json()
    assert policy["key"] == key_prefix + "inbox/notes é.txt"
    assert post_file(policy, b"hello").status_code in (200, 201, 204)
    assert call("share_uploaded", {"key": policy["key"]}).json()["size"] == 5
    assert get_gateway().download_file("primary", policy["key"]) == b"hello"
    assert AuditEvent.objects.filter(kind="share.dropbox_upload", target=policy["key"]).exists()
    share.refresh_from_db()
    assert share.upload_count == 1


def test_storage_refuses_a_drop_box_upload_over_the_cap(dropbox):
    _share, call = dropbox
    assert call("share_upload_policy", {"filename": "big.bin", "size": 5000}).status_code == 400
    policy = call("share_upload_policy", {"filename": "liar.bin", "size": 10}).json()
    refused = post_file(policy, b"x" * 1001)  # claims 10 bytes, sends more than the 1000-byte cap
    assert refused.status_code == 400 and "EntityTooLarge" in refused.text


def test_storage_refuses_a_drop_box_upload_outside_the_prefix(dropbox, key_prefix):
    _share, call = dropbox
    policy = call("share_upload_policy", {"filename": "a.txt", "size": 1}).json()
    refused = post_file(policy, b"x", key=key_prefix + "elsewhere.txt")
    assert refused.status_code == 403


def test_a_revoked_drop_box_signs_nothing(dropbox):
    share, call = dropbox
    service.revoke(ShareLink.objects.filter(pk=share.pk))
    assert call("share_upload_policy", {"filename": "a.txt", "size": 1}).status_code == 410


def test_a_drop_box_never_replaces_a_file_it_already_holds(dropbox, key_prefix):
    _share, call = dropbox
    first = call("share_upload_policy", {"filename": "report.pdf", "size": 3}).json()
    assert post_file(first, b"one").status_code in (200, 201, 204)
    second = call("share_upload_policy", {"filename": "report.pdf", "size": 3}).json()
    assert second["key"] == key_prefix + "inbox/report (2).pdf"
    assert post_file(second, b"two").status_code in (200, 201, 204)
    assert get_gateway().download_file("primary", first["key"]) == b"one"


def test_a_drop_box_records_only_what_this_visitor_uploaded(dropbox, key_prefix):
    share, call = dropbox
    get_gateway().simple_upload("primary", key_prefix + "inbox/owners.txt", b"x")
    refused = call("share_uploaded", {"key": key_prefix + "inbox/owners.txt"})
    assert refused.status_code == 400
    policy = call("share_upload_policy", {"filename": "mine.txt", "size": 1}).json()
    post_file(policy, b"m")
    assert call("share_uploaded", {"key": policy["key"]}).status_code == 200
    assert call("share_uploaded", {"key": policy["key"]}).status_code == 400  # counted once
    share.refresh_from_db()
    assert share.upload_count == 1


def stored_ok(response) -> bool:
    return response.status_code in (200, 201, 204)


def test_a_policy_writes_only_its_own_key_not_another_in_the_folder(dropbox, key_prefix):
    _share, call = dropbox
    get_gateway().simple_upload("primary", key_prefix + "inbox/contract.pdf", b"the contract")
    policy = call("share_upload_policy", {"filename": "mine.txt", "size": 5}).json()
    refused = post_file(policy, b"forged", key=key_prefix + "inbox/contract.pdf")
    assert not stored_ok(refused), refused.text
    assert get_gateway().download_file("primary", key_prefix + "inbox/contract.pdf") == b"the contract"


def test_a_dollar_filename_name_gets_no_prefix_wide_policy(dropbox, key_prefix):
    _share, call = dropbox
    get_gateway().simple_upload("primary", key_prefix + "inbox/contract.pdf", b"the contract")
    answer = call("share_upload_policy", {"filename": "${filename}", "size": 5})
    assert answer.status_code == 400 and "${filename}" in answer.json()["error"]
    for name in ("x${filename}", "${filename}.txt"):
        answer = call("share_upload_policy", {"filename": name, "size": 5})
        if answer.status_code == 200:  # a literal name is fine, as long as the key is pinned
            assert not stored_ok(post_file(answer.json(), b"forged", key=key_prefix + "inbox/contract.pdf"))
    assert get_gateway().download_file("primary", key_prefix + "inbox/contract.pdf") == b"the contract"


def test_two_visitors_choosing_one_name_never_replace_each_others_file(dropbox, live_server, key_prefix):
    share, first_visitor = dropbox
    second_visitor = visit_dropbox(live_server, share.token)
    first = first_visitor("share_upload_policy", {"filename": "report.pdf", "size": 5}).json()
    second = second_visitor("share_upload_policy", {"filename": "report.pdf", "size": 5}).json()
    assert first["key"] != second["key"]
    assert stored_ok(post_file(second, b"later"))
    assert stored_ok(post_file(first, b"first"))  # the policy fetched earlier is used last
    assert stored_ok(post_file(first, b"again"))  # and reused: it still writes only its own file
    assert get_gateway().download_file("primary", second["key"]) == b"later"
    third = second_visitor("share_upload_policy", {"filename": "report.pdf", "size": 5}).json()
    assert third["key"] not in (first["key"], second["key"])


def test_a_drop_box_pins_a_harmless_content_type(dropbox):
    _share, call = dropbox
    policy = call("share_upload_policy", {"filename": "page.html", "size": 5}).json()
    assert policy["fields"]["Content-Type"] == "application/octet-stream"
    svg = call("share_upload_policy", {"filename": "logo.svg", "size": 5}).json()
    assert svg["fields"]["Content-Type"] == "application/octet-stream"  # active content wherever served
    refused = post_file(policy, b"<script>alert(1)</script>"[:5], **{"Content-Type": "text/html"})
    assert not stored_ok(refused), refused.text
    image = call("share_upload_policy", {"filename": "photo.png", "size": 5}).json()
    assert image["fields"]["Content-Type"] == "image/png"


def test_every_policy_is_audited_when_signed(dropbox, key_prefix):
    _share, call = dropbox
    policy = call("share_upload_policy", {"filename": "signed.txt", "size": 5}).json()
    assert AuditEvent.objects.filter(kind="share.dropbox_signed", target=policy["key"]).exists()


def test_a_drop_box_keeps_to_the_connections_upload_cap(dropbox, seaweed_connection):
    _share, call = dropbox  # the link allows 1,000 bytes
    seaweed_connection.max_upload_size = 500
    seaweed_connection.save()
    refused = call("share_upload_policy", {"filename": "big.bin", "size": 600})
    assert refused.status_code == 400 and "500" in refused.json()["error"]
    policy = call("share_upload_policy", {"filename": "liar.bin", "size": 10}).json()
    assert post_file(policy, b"x" * 600).status_code == 400  # S3 holds the visitor to 500 bytes


def test_the_drop_box_page_and_its_refusal_state_the_same_limit(live_server, dropbox, seaweed_connection):
    share, call = dropbox
    seaweed_connection.max_upload_size = 500  # below the link's 1,000 bytes: the page says what holds
    seaweed_connection.save()
    page = requests.get(live_server.url + reverse("share_public", args=[share.token]), timeout=10).text
    refusal = call("share_upload_policy", {"filename": "big.bin", "size": 600}).json()["error"]
    assert "Files you choose go straight to the owner's storage, up to 500\xa0bytes each." in page
    assert refusal == "The file is larger than this link allows (up to 500\xa0bytes each)."


def test_parallel_password_guesses_are_throttled_all_the_same(live_server, seaweed_connection, editor, key_prefix,
                                                               monkeypatch):
    get_gateway().simple_upload("primary", key_prefix + "secret.txt", b"secret")
    _share, token = make_share(editor, key_prefix + "secret.txt", kind="file", password="the right one")
    checking = service.check_share_password

    def slow_check(*args):  # a slow hash: the window in which a count-then-check throttle is raced
        time.sleep(0.3)
        return checking(*args)

    monkeypatch.setattr(service, "check_share_password", slow_check)
    url = live_server.url + reverse("share_public", args=[token])
    visitors = []
    for _ in range(30):
        session = requests.Session()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url, timeout=10).text).group(1)
        visitors.append((session, csrf))
    attempts = Rendezvous(len(visitors))  # every guess is in the throttle before any of them is counted
    monkeypatch.setattr(service, "start_attempt", attempts.wrap(service.start_attempt))

    def guess(visitor):
        session, csrf = visitor
        return session.post(url, data={"csrfmiddlewaretoken": csrf, "password": "a guess"}, timeout=90).status_code

    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        statuses = list(pool.map(guess, visitors))
    assert len(attempts.sessions) == len(visitors)  # all at once, each on its own database session
    assert statuses.count(404) <= service.PASSWORD_ATTEMPTS, statuses  # 404: a guess that was checked
    assert statuses.count(404) + statuses.count(429) == len(visitors), statuses
    session, csrf = visitors[0]

    def one_more(password: str) -> int:
        return session.post(url, data={"csrfmiddlewaretoken": csrf, "password": password}, timeout=10).status_code

    # Under contention the throttle may refuse more than it must, never check more; one guess at a
    # time now uses up what is left of the 5, exactly.
    left = service.PASSWORD_ATTEMPTS - statuses.count(404)
    assert [one_more("a guess") for _ in range(left + 1)] == [404] * left + [429]
    assert one_more("the right one") == 429  # the limit holds for the right password too


def test_one_address_gets_a_bounded_number_of_policies_an_hour(dropbox, monkeypatch):
    _share, call = dropbox
    monkeypatch.setattr(service, "DROPBOX_POLICIES_PER_HOUR", 3)
    for number in range(3):
        assert call("share_upload_policy", {"filename": f"f{number}.txt", "size": 1}).status_code == 200
    refused = call("share_upload_policy", {"filename": "one-more.txt", "size": 1})
    assert refused.status_code == 429 and "Too many uploads" in refused.json()["error"]


def test_a_drop_box_refuses_a_name_the_storage_cannot_hold_before_signing(dropbox):
    _share, call = dropbox
    refused = call("share_upload_policy", {"filename": "n" * 300 + ".txt", "size": 1})
    assert refused.status_code == 400 and "255" in refused.json()["error"]


def test_a_drop_box_refuses_names_that_reverse_their_own_text(dropbox):
    _share, call = dropbox
    refused = call("share_upload_policy", {"filename": "invoice\u202efdp.exe", "size": 1})
    assert refused.status_code == 400 and "text-direction" in refused.json()["error"]
