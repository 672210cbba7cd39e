"""The production stack, started the way an operator starts it, and clients that reach it.

A PostgreSQL cluster of its own; `manage.py migrate` and `createsuperuser`; `make serve` (gunicorn,
two workers, settings only from the environment) with an s3.yaml naming the tests' SeaweedFS; and
Debian's nginx configured by deploy/nginx/console.conf itself, with a certificate made here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from storage import cors
from storage.connections import StaticRegistry
from storage.dev.bootstrap import ensure_bucket
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec
from tests.deploy.console_server import CONNECTION, ConsoleServer, deploy_env, write_s3_yaml
from tests.deploy.nginx import Nginx
from tests.deploy.tls import ServerCertificate, make_server_certificate
from tests.postgres_cluster import PostgresCluster

# The console's public name: Chromium resolves it to 127.0.0.1 (--host-resolver-rules), as DNS would.
# Not localhost, which Chromium treats as secure even over plain HTTP and exempts from HSTS.
PUBLIC_HOST = "console.test"
# What the plain HTTP client uses (it has no such resolver); nginx and the console answer both.
LOCAL_HOST = "localhost"
HOSTS = [PUBLIC_HOST, LOCAL_HOST]
BUCKET = "console-smoke"


@dataclass
class Stack:
    nginx: Nginx
    console: ConsoleServer
    postgres: PostgresCluster
    cert: ServerCertificate
    s3_endpoint: str

    @property
    def origin(self) -> str:
        """Where the person's browser goes."""
        return self.nginx.origin(PUBLIC_HOST)

    @property
    def local_origin(self) -> str:
        """Where the plain HTTP client goes."""
        return self.nginx.origin(LOCAL_HOST)

    def chromium_args(self) -> list[str]:
        """Trust this run's certificate by its key's hash (any other certificate error still fails)."""
        return [f"--ignore-certificate-errors-spki-list={self.cert.spki_sha256}",
                f"--host-resolver-rules=MAP {PUBLIC_HOST} 127.0.0.1"]

    def diagnostics(self) -> str:
        return f"--- gunicorn\n{self.console.log_tail()}\n--- nginx\n{self.nginx.log_tail()}"


def _bucket_enforcing_cors(seaweedfs) -> None:
    """SeaweedFS lets every origin in while a bucket has no CORS rule: give it one for another site,
    so the console's own origin works only once the console has applied its rule."""
    spec = seaweed_spec(seaweedfs, name=CONNECTION, bucket=BUCKET)
    ensure_bucket(spec)
    S3Gateway(StaticRegistry([spec])).put_bucket_cors(spec.name, [cors.needed_rule(["https://elsewhere.example"])])


@contextlib.contextmanager
def running_stack(seaweedfs, work: Path) -> Iterator[Stack]:
    """Every process started here is stopped on the way out, also when a later one failed to start."""
    _bucket_enforcing_cors(seaweedfs)
    with contextlib.ExitStack() as cleanup:
        postgres = PostgresCluster()
        cleanup.callback(postgres.stop)
        postgres.start()
        cert = make_server_certificate(work, HOSTS)
        nginx = Nginx(cert=cert, hosts=HOSTS)
        cleanup.callback(nginx.stop)
        env = deploy_env(work / "data", database_url=postgres.url, hosts=HOSTS,
                         origins=[nginx.origin(host) for host in HOSTS],
                         s3_config=write_s3_yaml(work / "s3.yaml", seaweedfs, BUCKET))
        console = ConsoleServer(env=env, log=work / "gunicorn.log")
        cleanup.callback(console.stop)
        console.prepare().start()
        nginx.start(upstream=console.address)
        yield Stack(nginx=nginx, console=console, postgres=postgres, cert=cert, s3_endpoint=seaweedfs.endpoint)


def trusting(stack: Stack) -> requests.Session:
    """Trusts this run's CA only (not REQUESTS_CA_BUNDLE, which would win over `verify` otherwise)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = str(stack.cert.ca)
    return session


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(stack: Stack, address: str) -> requests.Session:
    """Connects from another loopback address (127.0.0.2 ...), so nginx sees another client than 127.0.0.1."""
    session = trusting(stack)
    session.mount("https://", _FromAddress(address))
    return session
