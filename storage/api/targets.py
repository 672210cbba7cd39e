"""Which connection a protocol call signs for: the storage id itself, or for a group the member it resolves to.

The protocol hands out requests signed for one bucket, so a group's call is resolved to one member
first: an upload to where the key is (or where placement puts it), a HEAD or GET to the member that
holds the key, a part or a completion to the member the upload id names. Calls this server performs
itself (the extensions: listing, copies, bulk deletes) go through `api_gateway`, whose groups merge
and spread as the group gateway does everywhere else.
"""

from __future__ import annotations

from storage.gateway import OssGateway
from storage.groups import upload_ids
from storage.groups.gateway import GroupGateway, join_groups
from storage.groups.members import GROUP
from storage.routing import KindRouter
from storage.s3.signing import server_gateway

_gateways: dict[int, KindRouter] = {}


def api_gateway() -> OssGateway:
    """The protocol server's S3 gateway, with groups of its connections served by the group gateway."""
    signing = server_gateway()
    router = _gateways.get(id(signing))
    if router is None:
        router = _gateways[id(signing)] = join_groups(KindRouter(signing.registry, {"s3": signing}))
    return router


def _groups(storage_id: str) -> GroupGateway | None:
    if server_gateway().registry.get(storage_id).kind != GROUP:
        return None
    return api_gateway().gateways[GROUP]


def for_write(storage_id: str, key: str) -> str:
    groups = _groups(storage_id)
    return storage_id if groups is None else groups.target(storage_id, key)


def for_read(storage_id: str, key: str) -> str:
    """The member holding `key`; when none does, its owner (whose signed request answers 404, as any would)."""
    groups = _groups(storage_id)
    if groups is None:
        return storage_id
    return groups.locate(storage_id, key) or groups.preference(storage_id, key)[0]


def for_upload(storage_id: str, key: str, upload_id: str) -> tuple[str, str]:
    """(connection, its own upload id) for an upload id this server handed out."""
    groups = _groups(storage_id)
    return (storage_id, upload_id) if groups is None else groups.upload_member(storage_id, key, upload_id)


def handed_out(storage_id: str, member: str, key: str, upload_id: str) -> str:
    """The upload id a caller gets: a group's names its member (signed), a connection's is its own."""
    return upload_id if member == storage_id else upload_ids.wrap(storage_id, member, key, upload_id)
