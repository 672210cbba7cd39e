"""The endpoint under test, in both editions, each console a real gunicorn over its own SQLite.

community:  tools → console (/s3/, gunicorn, HTTPS and HTTP) → SeaweedFS
commercial: tools → console (EDITION=commercial) → OSS Gateway Manager (a second console, gunicorn) → SeaweedFS
            (the manager signs; the console sends the bytes to SeaweedFS itself, as README's set-up does)

The servers are made once per session and edition; each test works under a key prefix of its own.
"""

from __future__ import annotations

import pytest

from tests.integration.s3tools.support import (
    SCOPED_PREFIX,
    Console,
    Endpoint,
    certificate,
    migrated_database,
    new_secrets,
    write_s3_yaml,
)

EDITIONS = ("community", "commercial")


@pytest.fixture(scope="session")
def s3tools_base(tmp_path_factory):
    """A migrated database to copy, the secrets the consoles share, a certificate, the tools' HOME."""
    root = tmp_path_factory.mktemp("s3tools")
    secrets_env = new_secrets()
    home = root / "home"
    home.mkdir()
    (home / "rclone.conf").touch()  # the remote comes from RCLONE_CONFIG_CONSOLE_*; an empty file keeps rclone quiet
    return {"root": root, "secrets": secrets_env, "template": migrated_database(root / "template", secrets_env),
            "cert": certificate(root / "tls"), "home": home}


def _endpoint(edition: str, console: Console, base) -> Endpoint:
    https = console.serve(base["cert"])  # the first start loads the connection from S3_CONFIG
    http = console.serve()
    keys = console.issue_keys({"full": "", "scoped": SCOPED_PREFIX})
    return Endpoint(edition, https + "/s3", http + "/s3", base["cert"].ca, keys["full"], keys["scoped"], console,
                    base["home"])


@pytest.fixture(scope="session")
def community_endpoint(s3tools_base, seaweedfs):
    base = s3tools_base
    yaml = write_s3_yaml(base["root"] / "community-s3.yaml", seaweedfs)
    console = Console.make("community", base["root"], base["template"], base["secrets"], S3_CONFIG=str(yaml))
    try:
        yield _endpoint("community", console, base)
    finally:
        console.stop()


@pytest.fixture(scope="session")
def commercial_endpoint(s3tools_base, seaweedfs):
    base = s3tools_base
    yaml = write_s3_yaml(base["root"] / "manager-s3.yaml", seaweedfs)
    manager = Console.make("manager", base["root"], base["template"], base["secrets"], S3_CONFIG=str(yaml))
    console = None
    try:
        manager_url = manager.serve()
        token = manager.manage("create_service_token", "s3 tools' console")
        # The console keeps its connection record (the bucket the keys are scoped by), as in
        # test_commercial_console.py; its gateway is OssGatewayClient all the same (EDITION).
        console = Console.make("commercial", base["root"], base["template"], base["secrets"], S3_CONFIG=str(yaml),
                               EDITION="commercial", OSSGATEWAY_URL=manager_url, OSSGATEWAY_TOKEN=token)
        yield _endpoint("commercial", console, base)
    finally:
        if console is not None:
            console.stop()
        manager.stop()


@pytest.fixture(params=EDITIONS)
def endpoint(request) -> Endpoint:
    """The endpoint in each edition: every test that takes it runs twice."""
    return request.getfixturevalue(f"{request.param}_endpoint")


@pytest.fixture
def community(community_endpoint) -> Endpoint:
    return community_endpoint
