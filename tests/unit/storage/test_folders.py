"""A folder deleted one storage request at a time (storage/folders.py), against moto."""

from __future__ import annotations

from storage.connections import ConnectionSpec, StaticRegistry
from storage.gateway import StorageUnreachable
from storage.s3.gateway import S3Gateway
from tests.unit.admin_support import BUCKET, moto_s3  # noqa: F401


class Flaky(S3Gateway):
    """Counts listings and deletes; every third one fails before it is sent, as a storage that went away."""

    calls = 0

    def _request(self, method, *args, **kwargs):
        self.calls += 1
        if self.calls % 3 == 0:
            raise StorageUnreachable("Storage for 'main' is unreachable: connection refused.")
        return getattr(super(), method)(*args, **kwargs)

    def list_objects(self, *args, **kwargs):
        return self._request("list_objects", *args, **kwargs)

    def delete_objects(self, *args, **kwargs):
        return self._request("delete_objects", *args, **kwargs)


def test_a_folder_goes_one_request_per_step_and_a_failed_step_is_simply_repeated(moto_s3, monkeypatch):  # noqa: F811
    from storage import folders

    monkeypatch.setattr(folders, "BATCH", 3)
    gateway = Flaky(StaticRegistry([ConnectionSpec(name="main", bucket=BUCKET, access_key_id="k",
                                                   secret_access_key="s", is_default=True)]))
    keys = ["box/a.txt", "box/b/c.txt", "box/b/d/e.txt", "box/b/d/", "box/f/", "box/f/g/", "keep.txt"]
    for key in keys:
        gateway.simple_upload("main", key, b"")
    deletion = gateway.folder_deletion("main", "box/")
    deleted, failures = [], 0
    while not deletion.finished:
        before = gateway.calls
        try:
            result = deletion.step()
        except StorageUnreachable:
            failures += 1
            continue
        finally:
            assert gateway.calls - before <= 1  # at most one request: a caller may stop between any two
        deleted += result.deleted if result else []
    assert failures >= 2
    assert sorted(k for k in deleted if not k.endswith("/")) == ["box/a.txt", "box/b/c.txt", "box/b/d/e.txt"]
    assert [o.key for o in gateway.list_objects("main", "", delimiter="").objects] == ["keep.txt"]
