"""A console serving the OSS Gateway Manager API (live server) over the session's SeaweedFS."""

from __future__ import annotations

from dataclasses import dataclass

from storage.ossgateway.client import OssGatewayClient
from tests.conftest import seaweed_spec


@dataclass
class ApiServer:
    url: str  # the live server's root, e.g. http://localhost:PORT
    token: str
    seaweedfs: object

    @property
    def api(self) -> str:
        return self.url + "/api/ossgateway/v1"

    def client(self, **kwargs) -> OssGatewayClient:
        return OssGatewayClient(self.url, token=self.token, **kwargs)

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def add_connection(spec, **overrides):
    from storage.models import Connection

    values = dict(name=spec.name, endpoint=spec.endpoint, region=spec.region, access_key_id=spec.access_key_id,
                  secret_access_key=spec.secret_access_key, bucket=spec.bucket, use_ssl=False,
                  is_default=spec.is_default)
    values.update(overrides)
    return Connection.objects.create(**values)


def start_api_server(request, seaweedfs) -> ApiServer:
    """Needs transactional DB access: the live server's thread must see the records."""
    from storage.service_tokens import issue_token

    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    add_connection(seaweed_spec(seaweedfs))
    return ApiServer(live_server.url, issue_token("tests").raw, seaweedfs)
