"""`manage.py jobs_worker`: what it hands django-tasks-db's worker loop."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


class FakeLoop:
    """django-tasks-db's worker loop, recording how it was built instead of polling."""

    built: dict = {}

    def __init__(self, **kwargs):
        FakeLoop.built = kwargs

    def configure_signals(self):
        pass

    def run(self):
        pass


def run_command(*args: str) -> dict:
    command = "console.jobs.management.commands.jobs_worker"
    with mock.patch(f"{command}.JobsWorker", FakeLoop), mock.patch(f"{command}.Sweeper"), \
            mock.patch(f"{command}.sweep"):
        call_command("jobs_worker", *args)
    return FakeLoop.built


def test_an_idle_worker_looks_for_a_new_job_four_times_a_second():
    # A job started just after the worker's last look waits a whole interval before it starts
    # (make bench, J4: an empty job took ~1 s from start to done when the worker looked once a second).
    assert run_command()["interval"] == 0.25


def test_the_interval_is_still_a_choice():
    assert run_command("--interval", "2")["interval"] == 2.0
