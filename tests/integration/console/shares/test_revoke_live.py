"""Revoking a link while it is being downloaded, over real HTTP with parallel database sessions."""

from __future__ import annotations

import threading
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
from tests.integration.live_sessions import signed_in


@pytest.fixture
def shared(live_server, seaweed_connection, users, key_prefix):
    """A file shared by the editor without a download limit; its download address."""
    key = key_prefix + "report.pdf"
    get_gateway().simple_upload("primary", key, b"%PDF-")
    share, token = service.create_share(user=users["editor"], kind="file", connection="primary", key=key)
    return share, live_server.url + reverse("share_download", args=[token])


def download(url: str) -> int:
    return requests.get(url, allow_redirects=False, timeout=90).status_code


def revoke(live_server, session: requests.Session, share: ShareLink) -> requests.Response:
    return session.post(live_server.url + reverse("share_revoke"), data={"share": share.pk}, allow_redirects=False,
                        timeout=90)


class HeldClaims:
    """Downloads held inside their claim: the racing ones go when the revoke starts, the late ones once it returned.

    A download's claim is where it is decided; holding them there makes the interleaving certain
    instead of lucky: `racing` claims run against the revoke, `late` claims run after the editor
    got the answer, each on a database session of its own (all open at once, see Rendezvous).
    """

    def __init__(self, *, racing: int, late: int):
        self.racing = racing
        self.inside = Rendezvous(racing + late + 1)  # + the test, which waits until all are in
        self.revoke_started = threading.Event()
        self.revoke_returned = threading.Event()
        self.claims: list[tuple[str, bool]] = []
        self._lock = threading.Lock()
        self._entered = 0

    def claim(self, claim_download):
        def held(share, **kwargs):
            with self._lock:
                group = "racing" if self._entered < self.racing else "late"
                self._entered += 1
            self.inside.join()
            go = self.revoke_started if group == "racing" else self.revoke_returned
            assert go.wait(timeout=60), f"a {group} claim waited in vain"
            claimed = claim_download(share, **kwargs)
            with self._lock:
                self.claims.append((group, claimed))
            return claimed

        return held

    def revoke(self, revoke_shares):
        def starting(*args, **kwargs):
            self.revoke_started.set()
            return revoke_shares(*args, **kwargs)

        return starting

    def all_inside(self) -> None:
        self.inside.barrier.wait()

    def claimed(self, group: str) -> list[bool]:
        return [claimed for g, claimed in self.claims if g == group]


def test_no_download_succeeds_once_the_revoke_has_returned(live_server, shared, users, monkeypatch):
    share, url = shared
    held = HeldClaims(racing=10, late=10)
    monkeypatch.setattr(service, "claim_download", held.claim(service.claim_download))
    monkeypatch.setattr(service, "revoke", held.revoke(service.revoke))
    editor = signed_in(users["editor"])

    with ThreadPoolExecutor(max_workers=20) as pool:
        downloads = [pool.submit(download, url) for _ in range(20)]
        held.all_inside()  # 20 downloads past every check of the link, about to claim
        revoked = revoke(live_server, editor, share)
        held.revoke_returned.set()
        statuses = [d.result() for d in downloads]
    afterwards = [download(url) for _ in range(3)]

    assert revoked.status_code == 302
    assert len(held.inside.sessions) == 20  # 20 downloads at once, each on its own database session
    assert held.claimed("late") == [False] * 10  # started after the revoke returned: all refused
    assert afterwards == [410, 410, 410]
    assert set(statuses) <= {302, 410}, statuses
    share.refresh_from_db()
    assert share.revoked_at is not None
    won = held.claimed("racing").count(True)
    assert statuses.count(302) == won == share.download_count
    assert AuditEvent.objects.filter(kind="share.downloaded", target=share.key).count() == won
    assert AuditEvent.objects.filter(kind="share.revoked", target=share.key).count() == 1


def test_parallel_revokes_of_one_link_revoke_and_record_it_once(live_server, shared, users, monkeypatch):
    share, url = shared
    revokes = Rendezvous(5)
    monkeypatch.setattr(service, "revoke", revokes.wrap(service.revoke))
    people = [signed_in(users["editor"]) for _ in range(3)] + [signed_in(users["admin"]) for _ in range(2)]

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda person: revoke(live_server, person, share), people))

    assert [a.status_code for a in answers] == [302] * 5
    assert len(revokes.sessions) == 5
    assert AuditEvent.objects.filter(kind="share.revoked", target=share.key).count() == 1
    revoked_at = ShareLink.objects.get(pk=share.pk).revoked_at
    time.sleep(0.01)
    assert revoke(live_server, people[0], share).status_code == 302
    assert ShareLink.objects.get(pk=share.pk).revoked_at == revoked_at  # revoked once, never moved
    assert download(url) == 410
