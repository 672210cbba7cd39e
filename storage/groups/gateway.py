"""The gateway of connections of kind "group": each call goes to one member, or to all of them.

Members are called through the router (`storage.routing.KindRouter`), so a member may be of any
kind but "group". Writes go to one member: the one that holds the key already (an overwrite must
not leave two copies that differ), else the key's owner on the hash ring, or with placement
"free_space" the member reporting the most free space. Reads try the key's owner first, then the
others. Listings merge the members' listings (see `listing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.gateway import (
    DEFAULT_URL_EXPIRES,
    SAME_BUCKET,
    SERVER_SIDE,
    STREAMED,
    BucketSupport,
    DeleteResult,
    HealthReport,
    IntegrityFailure,
    ListPage,
    MultipartUploadInfo,
    NotSupported,
    ObjectNotFound,
    OssGateway,
    StorageError,
    StorageUnreachable,
    object_on,
)
from storage.groups import upload_ids
from storage.groups.listing import MergedListing
from storage.groups.members import group_members, unreachable
from storage.groups.ring import ring_of
from storage.keys import validate_key

log = logging.getLogger(__name__)

NO_BUCKET = gettext_lazy("a group has no bucket of its own: change bucket settings on each of its members")
LARGEST_SINGLE_COPY = 5 * 1024**3


class GroupGateway(OssGateway):
    def __init__(self, router: OssGateway):
        self.router = router  # serves the members; it holds this gateway for kind "group"

    def __repr__(self) -> str:
        return "GroupGateway()"

    # --- members, placement and lookups ---------------------------------------------------------------

    def members(self, oss_id: str) -> tuple[str, ...]:
        return group_members(self.router.registry, oss_id)[1]

    def preference(self, oss_id: str, key: str) -> list[str]:
        """The members in the order reads try them: the key's owner on the ring first."""
        return ring_of(self.members(oss_id)).preference(key)

    def _on(self, oss_id: str, member: str, call: Callable):
        """`call()` on `member`; a member that cannot be reached is named in the error."""
        try:
            return call()
        except StorageUnreachable as e:
            raise unreachable(member, oss_id, e) from e

    def locate(self, oss_id: str, key: str, *, strict: bool = False) -> str | None:
        """The member holding `key` (the earliest in its preference order), or None.

        Unreachable members are skipped (reads and writes go on without them); with `strict`, one that
        cannot be asked raises, because the answer "nowhere" would be a guess.
        """
        for member in self.preference(oss_id, key):
            try:
                self.router.get_object_meta(member, key)
                return member
            except ObjectNotFound:
                continue
            except StorageUnreachable as e:
                if strict:
                    raise unreachable(member, oss_id, e) from e
                log.warning("group %s: member %s unreachable while looking for a key: %s", oss_id, member, e)
        return None

    def target(self, oss_id: str, key: str) -> str:
        """Where a write of `key` goes: where the key is already, else where placement puts it."""
        return self.locate(oss_id, key) or self.place(oss_id, key)

    def place(self, oss_id: str, key: str) -> str:
        spec, members = group_members(self.router.registry, oss_id)
        if spec.placement == "free_space":
            spaces = {m: self._free_space(m) for m in members}
            reported = {m: space for m, space in spaces.items() if space is not None}
            if reported:
                return max(members, key=lambda m: reported.get(m, -1))
        return ring_of(members).owner(key)

    def _free_space(self, member: str) -> int | None:
        try:
            return self.router.free_space(member)
        except StorageError:
            return None

    def _read(self, oss_id: str, key: str, read: Callable[[str], object]):
        """`read(member)` on the members in preference order: the first that has the key answers."""
        down: list[StorageError] = []
        for member in self.preference(oss_id, key):
            try:
                return read(member)
            except ObjectNotFound:
                continue
            except StorageUnreachable as e:
                down.append(unreachable(member, oss_id, e))
        if down:
            raise down[0]  # the key may be on a member that could not be asked: not "not found"
        raise ObjectNotFound(_("There is no object %(object)s.") % {"object": object_on(oss_id, key)})

    def _holder(self, oss_id: str, key: str) -> str:
        return self._read(oss_id, key, lambda m: (self.router.get_object_meta(m, key), m)[1])

    def _check_absent(self, oss_id: str, key: str, *, besides: str | None = None) -> None:
        """`IntegrityFailure` when any member (but `besides`, which checks itself) holds `key`."""
        for member in self.members(oss_id):
            if member != besides and self._on(oss_id, member, lambda m=member: self._exists(m, key)):
                raise IntegrityFailure(_("An object %(object)s exists already; nothing was overwritten.") % {
                    "object": object_on(oss_id, key)})

    def _exists(self, member: str, key: str) -> bool:
        try:
            self.router.get_object_meta(member, key)
            return True
        except ObjectNotFound:
            return False

    def _write(self, oss_id: str, key: str, write: Callable[[str], object]):
        member = self.target(oss_id, key)
        return self._on(oss_id, member, lambda: write(member))

    # --- the seed's operations ------------------------------------------------------------------------

    def upload_file(self, oss_id, key, file, size=None, **options):
        validate_key(key)
        return self._write(oss_id, key, lambda m: self.router.upload_file(m, key, file, size, **options))

    def simple_upload(self, oss_id, key, file, **options):
        validate_key(key)
        return self._write(oss_id, key, lambda m: self.router.simple_upload(m, key, file, **options))

    def put_object(self, oss_id, key, body, **options):
        validate_key(key)
        member = self.target(oss_id, key)
        if options.get("dest_absent"):
            self._check_absent(oss_id, key, besides=member)
        return self._on(oss_id, member, lambda: self.router.put_object(member, key, body, **options))

    def get_upload_request(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, **options):
        validate_key(key)
        return self._write(oss_id, key, lambda m: self.router.get_upload_request(m, key, expires, **options))

    def get_upload_post(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, **options):
        validate_key(key)
        return self._write(oss_id, key, lambda m: self.router.get_upload_post(m, key, expires, **options))

    def download_file(self, oss_id, key, **options):
        return self._read(oss_id, key, lambda m: self.router.download_file(m, key, **options))

    def download_file_to_local(self, oss_id, key, path, **options):
        return self._read(oss_id, key, lambda m: self.router.download_file_to_local(m, key, path, **options))

    def get_object_meta(self, oss_id, key, **options):
        return self._read(oss_id, key, lambda m: self.router.get_object_meta(m, key, **options))

    def open_object(self, oss_id, key, **options):
        return self._read(oss_id, key, lambda m: self.router.open_object(m, key, **options))

    def get_download_url(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, **options):
        # A URL of a key no member holds is signed by its owner, and answers 404 as any missing object's does.
        member = self.locate(oss_id, validate_key(key)) or self.preference(oss_id, key)[0]
        return self._on(oss_id, member, lambda: self.router.get_download_url(member, key, expires, **options))

    def delete_file(self, oss_id, key, **options):
        """Deleted from every member that holds it (an earlier placement may have left two copies)."""
        validate_key(key)
        for member in self.members(oss_id):
            if self._on(oss_id, member, lambda m=member: self._exists(m, key)):
                self._on(oss_id, member, lambda m=member: self.router.delete_file(m, key, **options))

    def get_available_oss(self) -> str:
        return self.router.get_available_oss()

    def list_storages(self):
        return self.router.list_storages()

    # --- listings and deletes -------------------------------------------------------------------------

    def list_objects(self, oss_id, prefix="", *, token=None, delimiter="/", max_keys=1000, start_after=None) -> ListPage:
        def list_page(member, member_token, member_start_after):
            return self._on(oss_id, member, lambda: self.router.list_objects(
                member, prefix, token=member_token, delimiter=delimiter, max_keys=max_keys,
                start_after=member_start_after))

        merged = MergedListing(self.members(oss_id), list_page, lambda key: self.preference(oss_id, key))
        return merged.page(prefix, token, start_after, max_keys)

    def delete_objects(self, oss_id, keys: Iterable[str]) -> DeleteResult:
        """Each batch goes to every member (deleting a key a member lacks is a no-op there)."""
        keys = list(keys)
        errors: dict[str, str] = {}
        for member in self.members(oss_id):
            try:
                errors.update(self.router.delete_objects(member, keys).errors)
            except StorageUnreachable as e:
                reason = str(unreachable(member, oss_id, e))
                errors.update({key: reason for key in keys if key not in errors})
        return DeleteResult([key for key in keys if key not in errors], errors)

    # --- multipart ------------------------------------------------------------------------------------

    def create_multipart_upload(self, oss_id, key, **options) -> str:
        validate_key(key, allow_folder_marker=False)
        member = self.target(oss_id, key)
        upload_id = self._on(oss_id, member, lambda: self.router.create_multipart_upload(member, key, **options))
        return upload_ids.wrap(oss_id, member, key, upload_id)

    def create_multipart_upload_with_headers(self, oss_id, key, headers) -> str:
        validate_key(key, allow_folder_marker=False)
        member = self.target(oss_id, key)
        upload_id = self._on(oss_id, member, lambda: self.router.create_multipart_upload_with_headers(
            member, key, headers))
        return upload_ids.wrap(oss_id, member, key, upload_id)

    def upload_member(self, oss_id: str, key: str, upload_id: str) -> tuple[str, str]:
        member, own_id = upload_ids.unwrap(oss_id, key, upload_id)
        if member not in self.members(oss_id):
            raise NotSupported(_("'%(member)s' is no longer a member of the group '%(group)s'.") % {
                "member": member, "group": oss_id})
        return member, own_id

    def sign_upload_part(self, oss_id, key, upload_id, part_number, expires=DEFAULT_URL_EXPIRES, **options):
        member, own_id = self.upload_member(oss_id, key, upload_id)
        return self._on(oss_id, member, lambda: self.router.sign_upload_part(
            member, key, own_id, part_number, expires, **options))

    def sign_upload_parts(self, oss_id, key, upload_id, part_numbers, expires=DEFAULT_URL_EXPIRES, **options):
        member, own_id = self.upload_member(oss_id, key, upload_id)
        return self._on(oss_id, member, lambda: self.router.sign_upload_parts(
            member, key, own_id, part_numbers, expires, **options))

    def upload_part(self, oss_id, key, upload_id, part_number, body, **options):
        member, own_id = self.upload_member(oss_id, key, upload_id)
        return self._on(oss_id, member, lambda: self.router.upload_part(
            member, key, own_id, part_number, body, **options))

    def list_parts(self, oss_id, key, upload_id):
        member, own_id = self.upload_member(oss_id, key, upload_id)
        return self._on(oss_id, member, lambda: self.router.list_parts(member, key, own_id))

    def complete_multipart_upload(self, oss_id, key, upload_id, parts, **options) -> str:
        member, own_id = self.upload_member(oss_id, key, upload_id)
        if options.get("dest_absent"):
            self._check_absent(oss_id, key, besides=member)
        return self._on(oss_id, member, lambda: self.router.complete_multipart_upload(
            member, key, own_id, parts, **options))

    def abort_multipart_upload(self, oss_id, key, upload_id) -> None:
        member, own_id = self.upload_member(oss_id, key, upload_id)
        self._on(oss_id, member, lambda: self.router.abort_multipart_upload(member, key, own_id))

    def list_multipart_uploads(self, oss_id, prefix="") -> list[MultipartUploadInfo]:
        uploads = []
        for member in self.members(oss_id):
            for info in self._on(oss_id, member, lambda m=member: self.router.list_multipart_uploads(m, prefix)):
                uploads.append(MultipartUploadInfo(info.key, upload_ids.wrap(oss_id, member, info.key, info.upload_id),
                                                   info.initiated))
        return sorted(uploads, key=lambda u: (u.key, u.initiated is None, u.initiated or 0))

    # --- copies ---------------------------------------------------------------------------------------

    def copy_route(self, source_oss_id, dest_oss_id) -> str:
        return SAME_BUCKET if source_oss_id == dest_oss_id else STREAMED

    def _within(self, oss_id: str, dest_oss_id: str | None) -> None:
        if dest_oss_id not in (None, oss_id):
            raise NotSupported(_("A group copies only within itself in one request; a copy to another "
                                 "connection streams."))

    def server_copy(self, oss_id, source_key, dest_key, *, if_match=None, dest_absent=False, dest_oss_id=None) -> str:
        self._within(oss_id, dest_oss_id)
        validate_key(dest_key, allow_folder_marker=False)
        source = self._holder(oss_id, source_key)
        dest = self.target(oss_id, dest_key)
        if dest_absent:
            self._check_absent(oss_id, dest_key, besides=dest)
        if source != dest and not self._shared(source, dest):
            self._stream(oss_id, source, source_key, dest, dest_key, if_match=if_match)
            return self.router.get_object_meta(dest, dest_key).etag
        across = None if source == dest else dest
        return self._on(oss_id, dest, lambda: self.router.server_copy(
            source, source_key, dest_key, if_match=if_match, dest_absent=dest_absent, dest_oss_id=across))

    def _shared(self, source: str, dest: str) -> bool:
        """Whether one member's storage can copy into the other's by itself (one storage, one set of keys)."""
        return self.router.copy_route(source, dest) in (SAME_BUCKET, SERVER_SIDE)

    def _server_side(self, oss_id: str, source: str, dest: str) -> str:
        if self._shared(source, dest):
            return dest
        raise NotSupported(_("The members '%(source)s' and '%(dest)s' of the group '%(group)s' share no storage: "
                             "this copy streams.") % {"source": source, "dest": dest, "group": oss_id})

    def _stream(self, oss_id: str, source: str, source_key: str, dest: str, dest_key: str, *,
                if_match: str | None = None) -> None:
        """The bytes through this process, in bounded memory, with the type and user metadata (as a copy keeps)."""
        with self.router.open_object(source, source_key, if_match=if_match) as stream:
            meta = stream.meta
            self._on(oss_id, dest, lambda: self.router.upload_file(dest, dest_key, stream, meta.size,
                                                                   content_type=meta.content_type,
                                                                   metadata=meta.metadata))

    def server_copy_part(self, oss_id, source_key, dest_key, upload_id, part_number, first_byte, last_byte, *,
                         if_match=None, dest_oss_id=None) -> str:
        self._within(oss_id, dest_oss_id)
        dest, own_id = self.upload_member(oss_id, dest_key, upload_id)
        source = self._holder(oss_id, source_key)
        across = None if source == dest else self._server_side(oss_id, source, dest)
        return self._on(oss_id, dest, lambda: self.router.server_copy_part(
            source, source_key, dest_key, own_id, part_number, first_byte, last_byte, if_match=if_match,
            dest_oss_id=across))

    def copy_object(self, oss_id, source_key, dest_key) -> None:
        """Within one member its own copy; across members a server-side copy when they share a storage, else
        the bytes stream through this process."""
        validate_key(dest_key, allow_folder_marker=False)
        source = self._holder(oss_id, source_key)
        dest = self.target(oss_id, dest_key)
        if source == dest:
            return self._on(oss_id, dest, lambda: self.router.copy_object(source, source_key, dest_key))
        if self._shared(source, dest) and self.router.get_object_meta(source, source_key).size <= LARGEST_SINGLE_COPY:
            self._on(oss_id, dest, lambda: self.router.server_copy(source, source_key, dest_key, dest_oss_id=dest))
        else:
            self._stream(oss_id, source, source_key, dest, dest_key)
        return None

    # --- health and space -----------------------------------------------------------------------------

    def check_health(self, oss_id, *, timeout=3.0) -> HealthReport:
        reports = {}
        for member in self.members(oss_id):
            try:
                reports[member] = self.router.recent_health(member, timeout=timeout)
            except StorageError as e:
                reports[member] = HealthReport(False, None, str(e))
        latencies = [r.latency_ms for r in reports.values() if r.latency_ms is not None]
        failing = {m: r for m, r in reports.items() if not r.ok}
        if not failing:
            detail = _("all %(count)s members reachable") % {"count": len(reports)}
        else:
            detail = _("degraded: %(failing)s of %(count)s members failing (%(causes)s)") % {
                "failing": len(failing), "count": len(reports),
                "causes": "; ".join(f"'{m}': {r.detail}" for m, r in failing.items())}
        return HealthReport(not failing, max(latencies) if latencies else None, detail)

    def free_space(self, oss_id) -> int | None:
        """The members' free space added up; None unless every member says."""
        spaces = [self._free_space(m) for m in self.members(oss_id)]
        return None if any(s is None for s in spaces) else sum(spaces)

    # --- bucket settings: the members' own ------------------------------------------------------------

    def get_bucket_cors(self, oss_id):
        """The members' rules when they all have the same; else none (so the console offers to apply them)."""
        rules = [self._on(oss_id, m, lambda m=m: self.router.get_bucket_cors(m)) for m in self.members(oss_id)]
        return rules[0] if all(r == rules[0] for r in rules) else []

    def put_bucket_cors(self, oss_id, rules) -> None:
        for member in self.members(oss_id):
            self._on(oss_id, member, lambda m=member: self.router.put_bucket_cors(m, rules))

    def bucket_support(self, oss_id) -> BucketSupport:
        return BucketSupport.none(NO_BUCKET)

    # --- one object's versions, headers and tags: on the member that holds it -------------------------

    def get_object_headers(self, oss_id, key):
        return self._read(oss_id, key, lambda m: self.router.get_object_headers(m, key))

    def replace_object_headers(self, oss_id, key, headers, **options) -> None:
        member = self._holder(oss_id, key)
        self._on(oss_id, member, lambda: self.router.replace_object_headers(member, key, headers, **options))

    def get_object_tags(self, oss_id, key):
        return self._read(oss_id, key, lambda m: self.router.get_object_tags(m, key))

    def put_object_tags(self, oss_id, key, tags) -> None:
        member = self._holder(oss_id, key)
        self._on(oss_id, member, lambda: self.router.put_object_tags(member, key, tags))

    def list_object_versions(self, oss_id, key, **options):
        for member in self.preference(oss_id, key):
            versions = self._on(oss_id, member, lambda m=member: self.router.list_object_versions(m, key, **options))
            if versions:
                return versions
        return []

    def _version_holder(self, oss_id: str, key: str, version_id: str) -> str:
        for member in self.preference(oss_id, key):
            versions = self._on(oss_id, member, lambda m=member: self.router.list_object_versions(m, key))
            if any(v.version_id == version_id for v in versions):
                return member
        raise ObjectNotFound(_("There is no version '%(version)s' of %(object)s.") % {
            "version": version_id, "object": object_on(oss_id, key)})

    def list_deleted(self, oss_id, prefix, **options):
        raise NotSupported(_("A group does not list deleted files; open its members to see theirs."))

    def get_version_url(self, oss_id, key, version_id, expires=DEFAULT_URL_EXPIRES, **options):
        member = self._version_holder(oss_id, key, version_id)
        return self.router.get_version_url(member, key, version_id, expires, **options)

    def restore_version(self, oss_id, key, version_id) -> str:
        return self.router.restore_version(self._version_holder(oss_id, key, version_id), key, version_id)

    def delete_version(self, oss_id, key, version_id) -> None:
        self.router.delete_version(self._version_holder(oss_id, key, version_id), key, version_id)


def _no_bucket(name: str):
    def method(self, oss_id, *args, **kwargs):
        raise NotSupported(str(NO_BUCKET))

    method.__name__ = method.__qualname__ = name
    return method


for _name in ("create_bucket", "get_bucket_versioning", "put_bucket_versioning", "get_bucket_lifecycle",
              "put_bucket_lifecycle", "get_bucket_policy", "put_bucket_policy", "get_object_lock", "put_object_lock"):
    setattr(GroupGateway, _name, _no_bucket(_name))


def join_groups(router):
    """`router` with a group gateway for kind "group" that reaches the members through it."""
    router.gateways["group"] = GroupGateway(router)
    return router
