"""Gateways under test: the conformance suite runs unchanged against each of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
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


GROUP_BUCKETS = ("console-tests", "console-group-b", "console-group-c")


def group_specs(seaweedfs, *, name: str = "group", placement: str = "hash", **member_overrides):
    """A group of three buckets on the session's SeaweedFS (the default connection), and its members."""
    from storage.dev.bootstrap import ensure_bucket

    members = [seaweed_spec(seaweedfs, name=f"member-{i}", bucket=bucket, is_default=False,
                            **member_overrides.get(f"member-{i}", {}))
               for i, bucket in enumerate(GROUP_BUCKETS)]
    for member in members:
        if member.name not in member_overrides:
            ensure_bucket(member)
    group = ConnectionSpec(name=name, kind="group", members=tuple(m.name for m in members), placement=placement,
                           is_default=True)
    return [group, *members]


def _group_case(request, seaweedfs) -> GatewayCase:
    """A group of three SeaweedFS buckets, through the community gateway (the router and the group gateway)."""
    from storage.factory import community_gateway

    return GatewayCase(community_gateway(StaticRegistry(group_specs(seaweedfs))), "group")


def _ossgateway_group_case(request, seaweedfs) -> GatewayCase:
    """OssGatewayClient → this console's API → a group of three SeaweedFS buckets (the group is the default)."""
    from storage.models import Connection
    from tests.integration.ossgateway_support import add_connection, start_api_server

    server = start_api_server(request, seaweedfs)
    group, *members = group_specs(seaweedfs)
    for member in members:
        add_connection(member)
    Connection.objects.create(name=group.name, kind="group", members=list(group.members)).make_default()
    return GatewayCase(server.client(), "group")


# Other editions add a builder here (name -> function(request, seaweedfs) -> GatewayCase).
GATEWAY_BUILDERS = {"s3": _s3_case, "ossgateway": _ossgateway_case, "local": _local_case, "group": _group_case,
                    "ossgateway-group": _ossgateway_group_case}


# Builders whose cases need the database (a live server's thread reads records: transactional).
NEEDS_DATABASE = {"ossgateway", "local", "ossgateway-group"}


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
