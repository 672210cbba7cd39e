"""Background jobs: the rows people see, and what a worker needs to resume one after another died."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    """One operation on storage that may outlast a request; the truth about its progress.

    The task queue only carries "run job N" nudges: a worker claims the job by taking its lease
    (`owner`, `lease_expires_at`), renews it while it works, and writes progress at checkpoints.
    A job whose lease expired is handed to another worker by the sweep (see `console.jobs.lease`).
    """

    class Kind(models.TextChoices):
        DELETE = "delete", _("Delete")
        COPY = "copy", _("Copy")
        MOVE = "move", _("Move")
        FOLDER_SIZE = "folder_size", _("Folder size")
        ABORT_UPLOADS = "abort_uploads", _("Abort old uploads")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("job state", "Done")
        FAILED = "failed", pgettext_lazy("job state", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("job state", "Cancelled")

    FINISHED = (State.DONE, State.FAILED, State.CANCELLED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    connection = models.CharField(max_length=63, db_index=True)
    # Copy and move between connections: where the objects go. Empty: within `connection`.
    dest_connection = models.CharField(max_length=63, blank=True, db_index=True)
    target = models.CharField(max_length=1100, blank=True)  # what it acts on, in words: "photos/", "3 items in a/"
    params = models.JSONField(default=dict)  # the operation's input: items, destination, conflict choice, days
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="jobs")
    created_by_name = models.CharField(max_length=150, blank=True)  # kept when the user is deleted
    # The language of the person who started it: texts its worker makes (causes, the reason it stopped) are in it.
    language = models.CharField(max_length=15, blank=True)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")

    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED, db_index=True)
    phase = models.CharField(max_length=32, blank=True)  # counting, working, finishing
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)  # the last checkpoint

    # Progress, as of the last checkpoint. Totals are null until known.
    objects_total = models.BigIntegerField(null=True, blank=True)
    # objects_total is a lower bound ("at least N": a confirmation's count of one listing page per folder),
    # raised as the walk sees more, exact once it reached the end.
    objects_total_at_least = models.BooleanField(default=False)
    bytes_total = models.BigIntegerField(null=True, blank=True)
    objects_done = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    objects_skipped = models.BigIntegerField(default=0)
    objects_failed = models.BigIntegerField(default=0)
    rate_objects = models.FloatField(null=True, blank=True)  # per second, over the current run
    rate_bytes = models.FloatField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)  # e.g. a folder size: {"objects": n, "bytes": n}
    cancel_requested = models.BooleanField(default=False)

    # The engine's bookkeeping.
    owner = models.CharField(max_length=120, blank=True)  # the claim holding the lease; empty when none does
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)  # how many times a worker claimed it
    worker = models.CharField(max_length=120, blank=True)  # the last worker that ran it
    nudged_at = models.DateTimeField(null=True, blank=True)  # when a "run job N" task was last enqueued
    task_id = models.CharField(max_length=100, blank=True)  # that task's id in the task backend
    cursor = models.JSONField(default=dict, blank=True)  # where to resume: phase, item, last key handled

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "lease_expires_at"], name="jobs_state_lease_idx")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.target} ({self.state})"

    @property
    def writes_to(self) -> str:
        """The connection the job writes to: its destination's, else its own."""
        return self.dest_connection or self.connection

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def objects_handled(self) -> int:
        """Objects done, skipped or failed."""
        return self.objects_done + self.objects_skipped + self.objects_failed

    @property
    def fraction_done(self) -> float | None:
        """0..1 when the total is known (objects handled, whatever their outcome); at most this, when it is a
        lower bound."""
        if not self.objects_total:
            return 1.0 if self.state == self.State.DONE else None
        return min(1.0, self.objects_handled / self.objects_total)

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the current rate, when the total (not only a lower bound) and a rate are known."""
        if self.is_finished or not self.objects_total or self.objects_total_at_least or not self.rate_objects:
            return None
        return max(0.0, (self.objects_total - self.objects_handled) / self.rate_objects)


class JobFailure(models.Model):
    """An object a job could not handle, and why: what "retry the failed ones" starts again."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="failures")
    key = models.CharField(max_length=1100)
    dest_key = models.CharField(max_length=1100, blank=True)  # copy and move: where it was going (before renaming)
    cause = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class JobIntent(models.Model):
    """The batch a job is working on, written before any of it is done, so a resumed job replays it exactly.

    For copy and move it holds each object's destination as decided (a "keep both" name included):
    a worker that takes over does the same batch again with the same names and never picks a second
    "name (2).ext". `cursor` is where the job stands once the batch is done.
    """

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="intent")
    items = models.JSONField(default=list)
    cursor = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)


class FolderSize(models.Model):
    """The count and bytes under a prefix, as a job last computed them."""

    connection = models.CharField(max_length=63)
    prefix = models.CharField(max_length=1100)
    object_count = models.BigIntegerField()
    byte_count = models.BigIntegerField()
    computed_at = models.DateTimeField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "prefix"], name="jobs_folder_size_unique")]
