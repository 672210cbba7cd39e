"""rclone (an S3 remote of provider Other, path style) against /s3/, in both editions."""

from __future__ import annotations

import pytest

from tests.integration.s3tools.support import MiB, random_file, tree_digests

pytestmark = pytest.mark.integration

FILES = {"a.txt": 10, "b/c.bin": 300 * 1024, "b/d/e.bin": 6 * MiB + 3, "empty": 0}


def lsf(endpoint, path: str, **kwargs) -> list[str]:
    return sorted(endpoint.rclone("lsf", "-R", "--files-only", endpoint.remote(path), **kwargs).stdout.splitlines())


def test_copy_check_lsf_sync_and_delete(endpoint, key_prefix, tmp_path):
    up = tmp_path / "up"
    for name, size in FILES.items():
        random_file(up / name, size)

    endpoint.rclone("copy", str(up), endpoint.remote(key_prefix))
    assert lsf(endpoint, key_prefix) == sorted(FILES)
    endpoint.rclone("check", str(up), endpoint.remote(key_prefix))  # sizes and MD5s match

    down = tmp_path / "down"
    endpoint.rclone("copy", endpoint.remote(key_prefix), str(down))
    assert tree_digests(down) == tree_digests(up)

    # sync makes the remote the same as the source: the changed file replaced, the removed one deleted.
    (up / "a.txt").unlink()
    random_file(up / "b/c.bin", 1000)
    endpoint.rclone("sync", str(up), endpoint.remote(key_prefix))
    assert lsf(endpoint, key_prefix) == sorted(set(FILES) - {"a.txt"})
    endpoint.rclone("check", str(up), endpoint.remote(key_prefix))
    changed = endpoint.rclone("check", str(down), endpoint.remote(key_prefix), check=False)
    assert changed.returncode != 0  # the first download is now behind the remote

    endpoint.rclone("delete", endpoint.remote(key_prefix + "b/"))
    assert lsf(endpoint, key_prefix) == ["empty"]


def test_over_plain_http(endpoint, key_prefix, tmp_path):
    local = random_file(tmp_path / "up" / "f.bin", 2 * MiB)
    endpoint.rclone("copy", str(local.parent), endpoint.remote(key_prefix), scheme="http")
    endpoint.rclone("check", str(local.parent), endpoint.remote(key_prefix), scheme="http")
    assert lsf(endpoint, key_prefix, scheme="http") == ["f.bin"]
