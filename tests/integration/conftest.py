"""Gateways under test: the conformance suite runs unchanged against each of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from storage.connections import StaticRegistry
from storage.gateway import OssGateway
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec


@dataclass
class GatewayCase:
    gateway: OssGateway
    oss_id: str


def _s3_case(request, seaweedfs) -> GatewayCase:
    return GatewayCase(S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)])), "primary")


def _ossgateway_case(request, seaweedfs) -> GatewayCase:
    """OssGatewayClient → this console's OSS Gateway Manager API (live server) → SeaweedFS."""
    from tests.integration.ossgateway_support import start_api_server

    return GatewayCase(start_api_server(request, seaweedfs).client(), "primary")


def _local_case(request, seaweedfs) -> GatewayCase:
    """A local folder connection (the community router) whose signed URLs this console serves (live server)."""
    from storage.connections import DatabaseRegistry
    from storage.factory import community_gateway
    from storage.models import Connection

    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    settings = request.getfixturevalue("settings")
    settings.ALLOW_LOCAL_FOLDERS, settings.LOCAL_FOLDERS_URL = True, live_server.url
    folder = request.getfixturevalue("tmp_path") / "local-folder"
    folder.mkdir()
    Connection.objects.create(name="primary", kind="local", local_root=str(folder), is_default=True)
    return GatewayCase(community_gateway(DatabaseRegistry()), "primary")


# Other editions add a builder here (name -> function(request, seaweedfs) -> GatewayCase).
GATEWAY_BUILDERS = {"s3": _s3_case, "ossgateway": _ossgateway_case, "local": _local_case}


# Builders whose cases need the database (a live server's thread reads records: transactional).
NEEDS_DATABASE = {"ossgateway", "local"}


@pytest.hookimpl(tryfirst=True)  # before the `database` mark is given and `-m` selects by it
def pytest_collection_modifyitems(items):
    """Mark such cases at collection: pytest-django creates test databases only for marked items."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("case") in NEEDS_DATABASE:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(params=sorted(GATEWAY_BUILDERS))
def case(request, seaweedfs) -> GatewayCase:
    return GATEWAY_BUILDERS[request.param](request, seaweedfs)
