"""The aws CLI, unchanged and at its defaults, against /s3/: `aws s3` and `aws s3api`, in both editions.

Over HTTPS the CLI sends STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies with a CRC32 trailer (its default since
botocore 1.36); over plain HTTP it signs every payload. Every byte downloaded is compared by MD5 and SHA-256.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.integration.s3tools.support import MiB, digests, random_file, tree_digests

pytestmark = pytest.mark.integration


def s3(endpoint, key: str = "") -> str:
    return f"s3://{endpoint.bucket}/{key}"


def test_cp_up_and_down_head_range_copy_and_rm(endpoint, key_prefix, tmp_path):
    local = random_file(tmp_path / "note.bin", 300 * 1024)
    endpoint.aws("s3", "cp", str(local), s3(endpoint, key_prefix + "note.bin"))

    head = endpoint.aws_json("s3api", "head-object", "--bucket", endpoint.bucket, "--key", key_prefix + "note.bin")
    assert head["ContentLength"] == 300 * 1024
    assert head["ETag"].strip('"') == digests(local)[0]  # one PUT: the ETag is the MD5

    endpoint.aws("s3", "cp", s3(endpoint, key_prefix + "note.bin"), str(tmp_path / "back.bin"))
    assert digests(tmp_path / "back.bin") == digests(local)

    ranged = endpoint.aws_json("s3api", "get-object", "--bucket", endpoint.bucket, "--key", key_prefix + "note.bin",
                               "--range", "bytes=1000-1999", str(tmp_path / "range.bin"))
    assert ranged["ContentRange"] == f"bytes 1000-1999/{300 * 1024}"
    assert (tmp_path / "range.bin").read_bytes() == local.read_bytes()[1000:2000]

    copied = endpoint.aws_json("s3api", "copy-object", "--bucket", endpoint.bucket, "--key", key_prefix + "copy.bin",
                               "--copy-source", f"{endpoint.bucket}/{key_prefix}note.bin")
    assert copied["CopyObjectResult"]["ETag"] == head["ETag"]  # the same bytes

    endpoint.aws("s3", "rm", s3(endpoint, key_prefix + "note.bin"))
    listed = endpoint.aws("s3", "ls", s3(endpoint, key_prefix)).stdout
    assert "copy.bin" in listed and "note.bin" not in listed


@pytest.mark.big
def test_cp_of_100_mib_goes_multipart_both_ways(endpoint, key_prefix, tmp_path):
    local = random_file(tmp_path / "big.bin", 100 * MiB)
    endpoint.aws("s3", "cp", str(local), s3(endpoint, key_prefix + "big.bin"))
    head = endpoint.aws_json("s3api", "head-object", "--bucket", endpoint.bucket, "--key", key_prefix + "big.bin")
    assert head["ContentLength"] == 100 * MiB
    assert head["ETag"].strip('"').endswith("-13")  # the CLI's 8 MiB parts
    endpoint.aws("s3", "cp", s3(endpoint, key_prefix + "big.bin"), str(tmp_path / "back.bin"))
    assert digests(tmp_path / "back.bin") == digests(local)


def _tree(root, files: dict[str, int]):
    """Files last changed an hour ago: `aws s3 sync` re-sends a file changed after the object's LastModified,
    which S3 (and so the endpoint) gives in whole seconds, so a file written in the second of its upload would
    be sent again."""
    an_hour_ago = time.time() - 3600
    for name, size in files.items():
        os.utime(random_file(root / name, size), (an_hour_ago, an_hour_ago))
    return root


def test_sync_both_ways_ls_recursive_and_by_prefix_and_rm_recursive(endpoint, key_prefix, tmp_path):
    up = _tree(tmp_path / "up", {"a.txt": 10, "docs/b.txt": 2000, "docs/deep/c.bin": 70 * 1024, "d.bin": 0})
    endpoint.aws("s3", "sync", str(up), s3(endpoint, key_prefix))

    recursive = endpoint.aws("s3", "ls", "--recursive", s3(endpoint, key_prefix)).stdout
    listed = sorted(line.split(maxsplit=3)[3] for line in recursive.splitlines())
    assert listed == sorted(key_prefix + name for name in ("a.txt", "docs/b.txt", "docs/deep/c.bin", "d.bin"))
    by_prefix = endpoint.aws("s3", "ls", s3(endpoint, key_prefix + "docs/")).stdout
    assert "PRE deep/" in by_prefix and "b.txt" in by_prefix and "a.txt" not in by_prefix

    # A second sync sends only what changed.
    random_file(up / "docs/b.txt", 3000)
    again = endpoint.aws("s3", "sync", str(up), s3(endpoint, key_prefix)).stdout
    uploads = [line for line in again.splitlines() if line.startswith("upload:")]
    assert len(uploads) == 1 and uploads[0].endswith(f"docs/b.txt to {s3(endpoint, key_prefix + 'docs/b.txt')}")

    down = tmp_path / "down"
    endpoint.aws("s3", "sync", s3(endpoint, key_prefix), str(down))
    assert tree_digests(down) == tree_digests(up)

    endpoint.aws("s3", "rm", "--recursive", s3(endpoint, key_prefix + "docs/"))
    left = endpoint.aws("s3", "ls", "--recursive", s3(endpoint, key_prefix)).stdout
    assert sorted(line.split(maxsplit=3)[3] for line in left.splitlines()) == [key_prefix + "a.txt",
                                                                               key_prefix + "d.bin"]


def test_s3api_multipart_create_upload_list_complete_and_abort(endpoint, key_prefix, tmp_path):
    bucket, key = endpoint.bucket, key_prefix + "parts.bin"
    first, second = random_file(tmp_path / "p1", 5 * MiB), random_file(tmp_path / "p2", 1 * MiB + 7)
    upload_id = endpoint.aws_json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", key)["UploadId"]
    etags = [endpoint.aws_json("s3api", "upload-part", "--bucket", bucket, "--key", key, "--upload-id", upload_id,
                               "--part-number", str(n), "--body", str(part))["ETag"]
             for n, part in ((1, first), (2, second))]

    parts = endpoint.aws_json("s3api", "list-parts", "--bucket", bucket, "--key", key, "--upload-id", upload_id)
    assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in parts["Parts"]] == [
        (1, 5 * MiB, etags[0]), (2, MiB + 7, etags[1])]
    uploads = endpoint.aws_json("s3api", "list-multipart-uploads", "--bucket", bucket, "--prefix", key_prefix)
    assert [(u["Key"], u["UploadId"]) for u in uploads["Uploads"]] == [(key, upload_id)]

    layout = {"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, 1)]}
    done = endpoint.aws_json("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", key,
                             "--upload-id", upload_id, "--multipart-upload", json.dumps(layout))
    assert done["Key"] == key and done["ETag"].strip('"').endswith("-2")
    client = endpoint.boto3()  # read back without another CLI start (each takes seconds here)
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == first.read_bytes() + second.read_bytes()

    abandoned = endpoint.aws_json("s3api", "create-multipart-upload", "--bucket", bucket,
                                  "--key", key_prefix + "abandoned.bin")["UploadId"]
    endpoint.aws("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", key_prefix + "abandoned.bin",
                 "--upload-id", abandoned)
    assert client.list_multipart_uploads(Bucket=bucket, Prefix=key_prefix).get("Uploads", []) == []
    with pytest.raises(client.exceptions.NoSuchUpload):
        client.list_parts(Bucket=bucket, Key=key_prefix + "abandoned.bin", UploadId=abandoned)


def test_over_plain_http_every_payload_is_signed(endpoint, key_prefix, tmp_path):
    """No TLS: the CLI signs each body (a hex SHA-256, per part too), which the endpoint checks."""
    small, parts = random_file(tmp_path / "small.bin", 4096), random_file(tmp_path / "parts.bin", 17 * MiB)
    endpoint.aws("s3", "cp", str(small), s3(endpoint, key_prefix + small.name), scheme="http")
    endpoint.aws("s3", "cp", str(parts), s3(endpoint, key_prefix + parts.name), scheme="http")
    endpoint.aws("s3", "cp", s3(endpoint, key_prefix + parts.name), str(tmp_path / "back.bin"), scheme="http")
    assert digests(tmp_path / "back.bin") == digests(parts)
    assert endpoint.boto3().get_object(Bucket=endpoint.bucket, Key=key_prefix + small.name)["Body"].read() == \
        small.read_bytes()


def test_a_wrong_secret_is_refused(endpoint, key_prefix):
    from tests.integration.s3tools.support import Key

    wrong = Key(endpoint.key.access_key_id, endpoint.key.secret + "x")
    refused = endpoint.aws("s3", "ls", s3(endpoint, key_prefix), key=wrong, check=False)
    assert refused.returncode != 0 and "SignatureDoesNotMatch" in refused.stderr
