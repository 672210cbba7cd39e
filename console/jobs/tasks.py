"""The task queue's side: one task, "run job N". The job row, not the task, is the truth.

Django 5.2 reads the Tasks API from the `django-tasks` backport; on Django 6 this import becomes
`from django.tasks import task`, and nothing else changes.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run(job_id: int) -> str:
    from console.jobs.runner import run_job

    return run_job(job_id)


def enqueue_run(job_id: int) -> None:
    run.enqueue(job_id)
