"""A provider that takes connections and never answers: asked once, then refused at once for a while.

Otherwise each click, or anyone's script, holds a server thread for OIDC_TIMEOUT: a dozen requests
would take every thread of a pod, break-glass sign-in included, exactly when the provider is down.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.integration.oidc_support import sso  # noqa: F401

ATTEMPTS = 4


class SilentServer:
    """Accepts connections on a free loopback port, counts them, and never says a word."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    @property
    def connections(self) -> int:
        return len(self.held)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        for connection in [*self.held, self.socket]:
            connection.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def refused_as_unreachable(response) -> bool:
    return response.status_code == 503 and "the provider cannot be reached" in response.content.decode()


def test_a_provider_that_does_not_answer_its_discovery_is_asked_once(db, settings, silent):
    from console.accounts.oidc import provider

    settings.OIDC_ISSUER, settings.OIDC_TIMEOUT = f"{silent.url}/o", 1
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "oss-console", "secret"
    provider.forget()
    answers = [Client().get("/oidc/authenticate/") for _ in range(ATTEMPTS)]
    assert all(refused_as_unreachable(a) for a in answers)
    assert silent.connections == 1
    assert "asked again in" in answers[-1].content.decode()


def test_a_token_endpoint_that_does_not_answer_is_asked_once(db, sso, settings, silent):  # noqa: F811
    settings.OIDC_OP_TOKEN_ENDPOINT, settings.OIDC_TIMEOUT = f"{silent.url}/token/", 1
    for _ in range(ATTEMPTS):
        client = Client()
        state = parse_qs(urlsplit(client.get("/oidc/authenticate/")["Location"]).query)["state"][0]
        assert refused_as_unreachable(client.get("/oidc/callback/", {"code": "any", "state": state}))
    assert silent.connections == 1
