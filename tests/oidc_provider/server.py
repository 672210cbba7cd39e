"""Start the test identity provider as its own process, steer it, stop it.

Used by the session fixture `oidc_provider` (tests/conftest.py): migrate a fresh SQLite database,
serve with Django's runserver on a free loopback port, wait for the discovery document.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from storage.dev.seaweedfs import free_port
from tests.deploy.processes import spawn, stop_group, tail, wait_for_answer

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "oss-console"


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@dataclass
class OidcProvider:
    data_dir: Path
    port: int = field(default_factory=free_port)
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    control_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    @property
    def log(self) -> Path:
        return self.data_dir / "idp.log"

    def _env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OIDC_", "IDP_"))}
        return {**keep, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings", "PYTHONPATH": str(ROOT),
                "IDP_DATA_DIR": str(self.data_dir), "IDP_SECRET_KEY": secrets.token_urlsafe(40),
                "IDP_ISSUER": self.issuer, "IDP_RSA_PRIVATE_KEY": _rsa_key(),
                "IDP_CONTROL_SECRET": self.control_secret}

    def start(self) -> None:
        env = self._env()
        migrate = subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], cwd=ROOT,
                                 env=env, capture_output=True, text=True)
        if migrate.returncode:
            raise RuntimeError(f"the test provider's migrate failed:\n{migrate.stdout}{migrate.stderr}")
        self.process = spawn([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload",
                              "--skip-checks"], log=self.log, cwd=ROOT, env=env)
        wait_for_answer(self.process, f"{self.issuer}/.well-known/openid-configuration", log=self.log)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
            self.process = None

    def _control(self, what: str, **data) -> dict:
        response = requests.post(f"{self.url}/control/{what}/", json=data, timeout=10,
                                 headers={"Authorization": f"Bearer {self.control_secret}"})
        if response.status_code != 200:
            raise RuntimeError(f"control/{what} answered {response.status_code}:\n{tail(self.log)}")
        return response.json()

    def person(self, username: str, password: str, groups: list[str] = (), **extra) -> str:
        """Create or update a person with exactly these groups; returns their `sub`."""
        return self._control("person", username=username, password=password, groups=list(groups), **extra)["sub"]

    def client(self, redirect_uris: list[str], post_logout_redirect_uris: list[str] = ()) -> None:
        self._control("client", client_id=CLIENT_ID, client_secret=self.client_secret,
                      redirect_uris=list(redirect_uris), post_logout_redirect_uris=list(post_logout_redirect_uris))

    def fault(self, name: str) -> None:
        """The next ID token comes out wrong in this way (validator.FAULTS)."""
        self._control("fault", fault=name)

    def console_settings(self) -> dict:
        """What the console's environment would say to use this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_RP_CLIENT_ID": CLIENT_ID,
                "OIDC_RP_CLIENT_SECRET": self.client_secret, "OIDC_PROVIDER_NAME": "Test IdP",
                "OIDC_RP_SCOPES": "openid profile email groups",
                "OIDC_GROUPS_BY_NAME": True}  # its groups are made by the tests alone
