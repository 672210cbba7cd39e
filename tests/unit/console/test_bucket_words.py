"""Bucket settings in words: what a retention and a lifecycle rule's prefix mean to a person reading them."""

from __future__ import annotations

import datetime as dt

from console.connections import bucket_words
from storage.bucket_documents import LifecycleRule


def test_a_retention_is_said_in_years_and_as_the_day_it_ends():
    said = bucket_words.retention(36500, dt.date(2026, 11, 27))
    assert said == "36500 days (about 100 years), until 2126-11-03"
    assert bucket_words.retention(30, dt.date(2026, 11, 27)) == "30 days, until 2026-12-27"


def test_only_a_prefix_ending_in_a_slash_is_called_a_folder():
    assert bucket_words.sentences(LifecycleRule("r", prefix="logs/", expire_days=1))[0].startswith("Files under logs/")
    assert bucket_words.sentences(LifecycleRule("r", prefix="logs", expire_days=1))[0].startswith(
        "Files whose names start with logs are")
