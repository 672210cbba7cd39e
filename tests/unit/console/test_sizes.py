"""Sizes typed with units, and shown so that saving a form unchanged keeps the size (issue #16 item 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from console.sizes import SizeField, parse_size, show_size
from tests.fuzz import fuzz

MB, GB = 1024**2, 1024**3


@pytest.mark.parametrize(("typed", "size"), [
    ("1.5 GB", GB * 3 // 2), ("500MB", 500 * MB), ("1 GiB", GB), (" 2 gb ", 2 * GB), ("1,5 GB", GB * 3 // 2),
    ("100 kb", 102_400), ("4096", 4096), ("12 bytes", 12), ("1 TB", 1024 * GB), ("0.5 M", MB // 2), ("1m", MB),
])
def test_it_reads_sizes_as_people_type_them(typed, size):
    assert parse_size(typed) == size


@pytest.mark.parametrize("typed", ["", "MB", "1.5.2 GB", "-1 GB", "1 GBs", "ten MB", "1e9", "1 XB", "∞"])
def test_what_is_not_a_size_gets_a_sentence(typed):
    with pytest.raises(ValueError, match="is not a size: write a number and a unit"):
        parse_size(typed)


@pytest.mark.parametrize(("size", "shown"), [
    (GB * 3 // 2, "1.5 GB"), (5 * 1024**4, "5 TB"), (MB, "1 MB"), (1000, "1000 bytes"), (1_000_000, "1000000 bytes"),
    (MB + MB // 4, "1.25 MB"), (0, "0 bytes"),
])
def test_it_shows_a_size_exactly_in_the_largest_unit_that_can(size, shown):
    assert show_size(size) == shown


@fuzz
@given(st.integers(min_value=0, max_value=2**60))
def test_showing_then_reading_gives_the_same_size(size):
    assert parse_size(show_size(size)) == size


def test_the_field_refuses_sizes_out_of_its_bounds_in_words():
    field = SizeField(max_size=5 * GB)
    assert field.clean("5 GB") == 5 * GB
    with pytest.raises(ValidationError, match="Give at most 5.0 GB."):
        field.clean("6 GB")
    with pytest.raises(ValidationError, match="Give at least 1 byte."):
        field.clean("0 MB")


def test_a_size_too_large_to_compute_is_refused_in_words_not_a_server_error():
    typed = "9" * 1_000_001 + " PB"  # past decimal's exponent limit: once a decimal.Overflow (a 500)
    with pytest.raises(ValidationError, match="is too large"):
        SizeField().clean(typed)
