"""Gateways under test: the conformance suite runs unchanged against each of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from storage.connections import StaticRegistry
from storage.gateway import OssGateway
from storage.s3_gateway import S3Gateway
from tests.conftest import seaweed_spec


@dataclass
class GatewayCase:
    gateway: OssGateway
    oss_id: str


def _s3_case(request, seaweedfs) -> GatewayCase:
    return GatewayCase(S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)])), "primary")


# Other editions add a builder here (name -> function(request, seaweedfs) -> GatewayCase).
GATEWAY_BUILDERS = {"s3": _s3_case}


@pytest.fixture(params=sorted(GATEWAY_BUILDERS))
def case(request, seaweedfs) -> GatewayCase:
    return GATEWAY_BUILDERS[request.param](request, seaweedfs)
