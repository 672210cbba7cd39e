"""The CORS rule the console needs, checking a bucket's rules against it, and merging."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from storage import cors
from storage.gateway import CorsRule

ORIGIN = "https://console.example.com"
NEEDED = cors.needed_rule([ORIGIN, "https://console.example.com/", "https://other.example.com"])


def rule(origins, methods=("GET", "PUT", "HEAD", "POST"), headers=("*",), expose=("ETag",), max_age=None):
    return CorsRule(list(origins), list(methods), list(headers), list(expose), max_age)


def test_it_needs_put_get_head_post_content_type_and_etag_for_each_origin():
    assert NEEDED.allowed_origins == [ORIGIN, "https://other.example.com"]
    assert NEEDED.allowed_methods == ["PUT", "GET", "HEAD", "POST"]
    assert NEEDED.allowed_headers == ["content-type"]
    assert NEEDED.expose_headers == ["ETag"]


def test_it_reports_everything_missing_on_a_bucket_without_rules():
    result = cors.check([], NEEDED)
    assert not result.ok
    assert f"PUT from {ORIGIN} is not allowed." in result.problems
    assert len(result.problems) == 8  # 4 methods x 2 origins


def test_it_accepts_a_wildcard_rule():
    assert cors.check([rule(["*"])], NEEDED).ok
    assert cors.check([rule(["https://*.example.com"], headers=["Content-Type"], expose=["etag"])], NEEDED).ok


def test_it_names_the_missing_method_header_and_exposed_header():
    problems = cors.check([rule([ORIGIN, "https://other.example.com"], methods=["GET", "HEAD", "PUT", "POST"],
                                headers=["x-amz-*"], expose=[])], NEEDED).problems
    assert f"PUT from {ORIGIN} may not send the header(s) content-type." in problems
    problems = cors.check([rule([ORIGIN, "https://other.example.com"], expose=[])], NEEDED).problems
    assert problems == [f"ETag is not exposed to {ORIGIN} on PUT.", f"ETag is not exposed to {ORIGIN} on POST.",
                        "ETag is not exposed to https://other.example.com on PUT.",
                        "ETag is not exposed to https://other.example.com on POST."]
    problems = cors.check([rule([ORIGIN, "https://other.example.com"], methods=["GET", "HEAD"])], NEEDED).problems
    assert f"PUT from {ORIGIN} is not allowed." in problems and f"GET from {ORIGIN} is not allowed." not in problems


def test_it_judges_exposed_headers_by_the_first_rule_that_matches_like_s3():
    # The first rule matching origin and method answers the real request, and it hides ETag.
    shadowing = [rule([ORIGIN], methods=["PUT"], headers=["*"], expose=[]), rule(["*"])]
    assert f"ETag is not exposed to {ORIGIN} on PUT." in cors.check(shadowing, NEEDED).problems


def test_it_leaves_rules_that_already_serve_the_console_alone():
    rules = [rule(["*"])]
    assert cors.merge(rules, NEEDED) == rules


def test_it_puts_the_console_rule_first_and_keeps_the_others():
    other = rule(["https://elsewhere.example"], methods=["GET"], expose=["x-amz-meta-owner"])
    merged = cors.merge([other], NEEDED)
    assert merged[1:] == [other]
    assert merged[0].allowed_origins == NEEDED.allowed_origins
    assert cors.check(merged, NEEDED).ok


def test_it_keeps_what_an_overlapping_rule_exposed_to_the_same_origin():
    mine = rule([ORIGIN], methods=["GET", "DELETE"], headers=["x-custom"], expose=["x-amz-meta-owner"])
    merged = cors.merge([mine], NEEDED)
    assert cors.check(merged, NEEDED).ok
    assert "x-amz-meta-owner" in merged[0].expose_headers and "x-custom" in merged[0].allowed_headers
    assert merged[1] == mine  # DELETE from that origin still works through it


def test_it_merges_idempotently_and_absorbs_its_own_earlier_rule():
    stale = rule(NEEDED.allowed_origins, methods=["GET", "DELETE"], headers=["content-type"], expose=[],
                 max_age=60)
    once = cors.merge([stale], NEEDED)
    assert len(once) == 1 and "DELETE" in once[0].allowed_methods and once[0].max_age_seconds == cors.MAX_AGE
    assert cors.merge(once, NEEDED) == once


def test_it_writes_the_rule_as_json_and_xml_for_applying_by_hand():
    document = json.loads(cors.to_json([NEEDED]))
    assert document["CORSRules"][0]["AllowedMethods"] == ["PUT", "GET", "HEAD", "POST"]
    assert document["CORSRules"][0]["ExposeHeaders"] == ["ETag"]
    root = ET.fromstring(cors.to_xml([rule(["https://a.example/?x=<y>&z"])]))
    ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
    assert root.find("s3:CORSRule/s3:AllowedOrigin", ns).text == "https://a.example/?x=<y>&z"
    assert [m.text for m in root.findall("s3:CORSRule/s3:AllowedMethod", ns)] == ["GET", "PUT", "HEAD", "POST"]
