"""A presigned POST (browser form upload) with user metadata, against the real SeaweedFS: the metadata is
signed into the policy as exact fields, so the stored object carries it and a form cannot change it."""

from __future__ import annotations

import requests

from storage.connections import StaticRegistry
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec


def test_a_form_upload_stores_the_metadata_signed_into_its_policy(seaweedfs, key_prefix):
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))
    key = key_prefix + "form.txt"
    post = gateway.get_upload_post("primary", key, 60, max_size=100, content_type="text/plain",
                                   metadata={"Owner": "ann"})
    assert post.fields["x-amz-meta-owner"] == "ann"
    answer = requests.post(post.url, data=post.fields, files={"file": ("form.txt", b"hello")}, timeout=10)
    assert answer.status_code in (200, 204), answer.text
    assert gateway.get_object_meta("primary", key).metadata == {"owner": "ann"}
    changed = {**post.fields, "x-amz-meta-owner": "eve"}
    answer = requests.post(post.url, data=changed, files={"file": ("form.txt", b"other")}, timeout=10)
    assert answer.status_code == 403, "a value other than the one in the policy is refused"
    assert gateway.get_object_meta("primary", key).metadata == {"owner": "ann"}
