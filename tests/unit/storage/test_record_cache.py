import pytest

from storage import record_cache
from storage.connections import DatabaseRegistry
from storage.gateway import ConnectionNotFound
from storage.models import Connection

pytestmark = pytest.mark.django_db


def test_a_save_in_this_process_takes_effect_at_once(django_assert_num_queries):
    record = Connection.objects.create(name="a", bucket="b")
    registry = DatabaseRegistry()
    registry.get("a")
    with django_assert_num_queries(0):
        registry.get("a")  # read once per process, then kept
    record.enabled = False
    record.is_default = False
    record.save()
    with pytest.raises(ConnectionNotFound, match="disabled"):
        registry.get("a")


def test_a_change_made_elsewhere_is_seen_within_the_cache_lifetime(monkeypatch):
    Connection.objects.create(name="a", bucket="b")
    registry = DatabaseRegistry()
    assert registry.get("a").bucket == "b"
    Connection.objects.filter(name="a").update(bucket="other")  # as another process would: no signal here
    assert registry.get("a").bucket == "b"
    clock = record_cache.time.monotonic() + 2.5
    monkeypatch.setattr(record_cache.time, "monotonic", lambda: clock)
    assert registry.get("a").bucket == "other"


def test_zero_turns_the_cache_off(settings):
    settings.RECORD_CACHE_SECONDS = 0
    Connection.objects.create(name="a", bucket="b")
    registry = DatabaseRegistry()
    registry.get("a")
    Connection.objects.filter(name="a").update(bucket="other")
    assert registry.get("a").bucket == "other"


def test_a_value_that_changes_rarely_is_kept_as_long_as_asked_and_zero_still_turns_it_off(monkeypatch, settings):
    loads = []
    now = record_cache.time.monotonic()
    monkeypatch.setattr(record_cache.time, "monotonic", lambda: now)
    assert record_cache.cached("rare", lambda: loads.append(1) or len(loads), seconds=60) == 1
    now += 30
    assert record_cache.cached("rare", lambda: loads.append(1) or len(loads), seconds=60) == 1
    now += 31
    assert record_cache.cached("rare", lambda: loads.append(1) or len(loads), seconds=60) == 2
    record_cache.forget()
    settings.RECORD_CACHE_SECONDS = 0
    assert record_cache.cached("rare", lambda: loads.append(1) or len(loads), seconds=60) == 3
    assert record_cache.cached("rare", lambda: loads.append(1) or len(loads), seconds=60) == 4
