"""User metadata by S3's rules (storage/user_metadata.py); its refusals are in test_object_headers.py."""

from __future__ import annotations

import pytest

from storage.gateway import InvalidRequest
from storage.user_metadata import as_headers, from_headers, validate_metadata


def test_none_and_empty_are_no_metadata():
    assert validate_metadata(None) == {} == validate_metadata({})


def test_names_may_be_any_http_token_and_come_back_in_lower_case():
    assert validate_metadata({"Build#": "7", "x~y": "z"}) == {"build#": "7", "x~y": "z"}


def test_a_value_that_is_not_text_is_refused():
    with pytest.raises(InvalidRequest, match="are text"):
        validate_metadata({"size": 3})


def test_headers_carry_the_prefix_and_an_answers_headers_give_names_in_lower_case():
    assert as_headers({"owner": "ann"}) == {"x-amz-meta-owner": "ann"}
    assert from_headers({"X-Amz-Meta-Owner": "ann", "Content-Type": "text/plain"}) == {"owner": "ann"}
