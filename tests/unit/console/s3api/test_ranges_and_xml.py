"""The pieces of the S3 read answers that need no storage: byte ranges, XML text, where a listing resumes."""

from __future__ import annotations

import datetime as dt

import pytest

from console.s3api.errors import S3Error
from console.s3api.listing import AFTER_FOLDER, Request, _resume_after
from console.s3api.reads import parse_range
from console.s3api.xmlout import NAMESPACE, document, iso_time


@pytest.mark.parametrize(("header", "size", "expected"), [
    ("", 10, None), ("bytes=0-0", 10, (0, 0)), ("bytes=2-5", 10, (2, 5)), ("bytes=2-", 10, (2, 9)),
    ("bytes=-3", 10, (7, 9)), ("bytes=-30", 10, (0, 9)), ("bytes=5-100", 10, (5, 9)), ("bytes = 1-2", 10, None),
    ("bytes=1-2,4-5", 10, None), ("bytes=5-2", 10, None), ("items=0-1", 10, None), ("bytes=a-b", 10, None),
    ("bytes=-", 10, None),
])
def test_ranges(header, size, expected):
    assert parse_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=10-20", 10), ("bytes=-0", 10),
                                              ("bytes=0-", 0), ("bytes=-1", 0)])
def test_unsatisfiable_ranges(header, size):
    with pytest.raises(S3Error) as raised:
        parse_range(header, size)
    assert raised.value.code == "InvalidRange" and raised.value.status == 416


def test_xml_escapes_text_and_writes_s3_times():
    text = document("R", {"Key": 'a<b>&"c\'', "When": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
                          "Flag": True, "Absent": None, "Empty": "", "Nested": {"N": 1}, "Many": [{"M": 1}, {"M": 2}]})
    assert text.endswith(f'<R xmlns="{NAMESPACE}"><Key>a&lt;b&gt;&amp;"c\'</Key>'
                         "<When>2026-01-02T03:04:05.678Z</When><Flag>true</Flag><Empty></Empty><Nested><N>1</N></Nested>"
                         "<Many><M>1</M></Many><Many><M>2</M></Many></R>")
    assert iso_time(dt.datetime(2026, 1, 2, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == \
        "2026-01-02T03:00:00.000Z"


def test_a_marker_that_is_a_common_prefix_resumes_after_everything_under_it():
    def after(marker, prefix="p/", delimiter="/"):
        return _resume_after(Request(prefix, delimiter, 1000, False, start_after=marker))

    assert after("p/d/") == "p/d/" + AFTER_FOLDER
    assert after("p/d/x.txt") == "p/d/x.txt"
    assert after("p/a.txt") == "p/a.txt"
    assert after("p/d/", delimiter="") == "p/d/"
    assert after("") is None
