"""What a PutObject says about its object comes back on GET and HEAD, Expires included."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_headers_put_with_an_object_come_back_on_get_and_head(s3, key_prefix):
    key = key_prefix + "page.html"
    expires = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    s3.put_object(Bucket="primary", Key=key, Body=b"<p>hi</p>", ContentType="text/html", CacheControl="max-age=60",
                  ContentDisposition='attachment; filename="page.html"', Expires=expires, Metadata={"team": "blue"})
    for answer in (s3.get_object(Bucket="primary", Key=key), s3.head_object(Bucket="primary", Key=key)):
        assert answer["ContentType"] == "text/html"
        assert answer["CacheControl"] == "max-age=60"
        assert answer["ContentDisposition"] == 'attachment; filename="page.html"'
        assert answer["ExpiresString"] == "Tue, 06 May 2031 07:08:09 GMT"
        assert answer["Metadata"] == {"team": "blue"}
    assert s3.get_object(Bucket="primary", Key=key)["Body"].read() == b"<p>hi</p>"
