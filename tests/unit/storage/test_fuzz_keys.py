"""Property tests: the key rules accept exactly what they promise, and refuse with a reason."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from storage.gateway import InvalidKey
from storage.keys import MAX_KEY_BYTES, join_key, validate_key
from tests.fuzz import fuzz

# Favour the characters that break things: separators, dots, controls, URL syntax, unicode.
tricky = st.sampled_from(list("/./..\\\x00\x01\n\r\t\x7f %+#?&=;:@$!'\"()[]{}<>^`|~é\u0301日\U0001f600"))
keys = st.lists(st.one_of(tricky, st.characters()), max_size=40).map("".join) | st.text(max_size=1100)


@fuzz
@given(keys)
def test_every_key_is_either_accepted_unchanged_or_refused_with_a_reason(key):
    try:
        accepted = validate_key(key)
    except InvalidKey as e:
        assert str(e).startswith("The key ") and str(e).endswith((".", ")"))
        return
    assert accepted == key
    assert key and not key.startswith("/") and "//" not in key and "\\" not in key
    assert not any(unicodedata.category(c) == "Cc" for c in key)
    assert len(key.encode("utf-8")) <= MAX_KEY_BYTES
    segments = key.split("/")
    assert "." not in segments and ".." not in segments


@fuzz
@given(st.text(max_size=60), st.text(max_size=60))
def test_joined_keys_never_escape_their_prefix(prefix, relative):
    try:
        key = join_key(validate_key(prefix + "/") if prefix else "", relative)
    except InvalidKey:
        return
    assert key.startswith(prefix)
    assert ".." not in key.split("/")
