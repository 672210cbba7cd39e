"""A key limited to a folder neither lists, reads nor writes outside it, whichever tool uses it."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from tests.integration.s3tools.support import SCOPED_PREFIX

pytestmark = pytest.mark.integration


@pytest.fixture
def layout(endpoint):
    """An object inside the key's folder and one outside it, put with the full key."""
    client, run = endpoint.boto3(), uuid.uuid4().hex[:8]
    inside, outside = f"{SCOPED_PREFIX}{run}/in.txt", f"outside-{run}/out.txt"
    client.put_object(Bucket=endpoint.bucket, Key=inside, Body=b"inside")
    client.put_object(Bucket=endpoint.bucket, Key=outside, Body=b"outside")
    return {"inside": inside, "outside": outside, "run": run}


def refused(call, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def test_boto3_with_a_prefix_key(endpoint, layout):
    scoped, full, bucket = endpoint.boto3(endpoint.scoped), endpoint.boto3(), endpoint.bucket
    assert scoped.get_object(Bucket=bucket, Key=layout["inside"])["Body"].read() == b"inside"
    scoped.put_object(Bucket=bucket, Key=f"{SCOPED_PREFIX}{layout['run']}/new.txt", Body=b"new")

    assert refused(scoped.get_object, Bucket=bucket, Key=layout["outside"]) == "AccessDenied"
    assert refused(scoped.head_object, Bucket=bucket, Key=layout["outside"]) == "403"
    assert refused(scoped.put_object, Bucket=bucket, Key=f"outside-{layout['run']}/new.txt", Body=b"x") == "AccessDenied"
    assert refused(scoped.delete_object, Bucket=bucket, Key=layout["outside"]) == "AccessDenied"
    assert refused(scoped.copy_object, Bucket=bucket, Key=f"{SCOPED_PREFIX}{layout['run']}/stolen.txt",
                   CopySource={"Bucket": bucket, "Key": layout["outside"]}) == "AccessDenied"
    assert refused(scoped.create_multipart_upload, Bucket=bucket, Key=f"outside-{layout['run']}/m.bin") == "AccessDenied"
    batch = scoped.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": layout["outside"]}]})
    assert [e["Code"] for e in batch.get("Errors", [])] == ["AccessDenied"]
    assert full.get_object(Bucket=bucket, Key=layout["outside"])["Body"].read() == b"outside"  # still there

    # Listing: inside, its own keys; above or beside its folder, nothing of anyone else's.
    inside = scoped.list_objects_v2(Bucket=bucket, Prefix=f"{SCOPED_PREFIX}{layout['run']}/")
    assert [o["Key"] for o in inside["Contents"]] == [layout["inside"], f"{SCOPED_PREFIX}{layout['run']}/new.txt"]
    for prefix, delimiter in (("", ""), ("", "/"), (f"outside-{layout['run']}/", "")):
        try:
            seen = scoped.list_objects_v2(Bucket=bucket, Prefix=prefix, Delimiter=delimiter)
        except ClientError as e:
            assert e.response["Error"]["Code"] == "AccessDenied"
            continue
        keys = [o["Key"] for o in seen.get("Contents", [])] + [p["Prefix"] for p in seen.get("CommonPrefixes", [])]
        assert all(k.startswith(SCOPED_PREFIX) for k in keys), keys


def test_aws_cli_and_rclone_with_a_prefix_key(endpoint, layout, tmp_path):
    listing = endpoint.aws("s3", "ls", "--recursive", f"s3://{endpoint.bucket}/", key=endpoint.scoped, check=False)
    assert layout["outside"] not in listing.stdout
    read = endpoint.aws("s3", "cp", f"s3://{endpoint.bucket}/{layout['outside']}", str(tmp_path / "out.txt"),
                        key=endpoint.scoped, check=False)
    assert read.returncode != 0 and not (tmp_path / "out.txt").exists()
    (tmp_path / "w.txt").write_bytes(b"w")
    write = endpoint.aws("s3", "cp", str(tmp_path / "w.txt"), f"s3://{endpoint.bucket}/outside-{layout['run']}/w.txt",
                         key=endpoint.scoped, check=False)
    assert write.returncode != 0 and "AccessDenied" in write.stderr

    seen = endpoint.rclone("lsf", "-R", endpoint.remote(""), key=endpoint.scoped, check=False)
    assert f"outside-{layout['run']}" not in seen.stdout
    copied = endpoint.rclone("copy", str(tmp_path / "w.txt"), endpoint.remote(f"outside-{layout['run']}/"),
                             key=endpoint.scoped, check=False)
    assert copied.returncode != 0
    assert not endpoint.boto3().list_objects_v2(Bucket=endpoint.bucket, Prefix=f"outside-{layout['run']}/w").get("Contents")
