"""How many jobs one person may have queued or running at once (JOBS_MAX_ACTIVE_PER_USER).

Admins are held to it too: the limit keeps one person's flood (a script looping on a token, a
hurried double click repeated) from filling the queue that every worker serves, and an admin's
script loops as easily as anyone's. A site that needs more raises the setting (0: no limit).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import ngettext

from console.jobs.models import Job


class TooManyJobs(Exception):
    """The person has as many jobs queued or running as one may: starting one more is refused (429).

    The console's own refusal, not the storage's: each page that starts a job catches it beside the
    StorageError it shows in the same dialog (no such connection, a disabled one).
    """


def check_room(owner, *, actor=None) -> None:
    """Raise TooManyJobs when `owner` may not have one more job queued or running (`actor`: who asks, when
    another: an admin resuming someone's job). Call it in the transaction that queues the job."""
    limit = settings.JOBS_MAX_ACTIVE_PER_USER
    if not limit or owner is None or not owner.is_authenticated:
        return
    # The person's row, locked: on PostgreSQL two starts at once are counted one after the other (SQLite
    # writes one transaction at a time already).
    list(get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
    active = Job.objects.filter(created_by=owner, state__in=[Job.State.QUEUED, Job.State.RUNNING]).count()
    if active >= limit:
        if actor is None or actor.pk == owner.pk:
            sentence = ngettext("You have %(count)s job queued or running, the most one person may have at once. "
                                "Wait for it to finish, or cancel it in the Jobs panel, then start this again.",
                                "You have %(count)s jobs queued or running, the most one person may have at once. "
                                "Wait for one to finish, or cancel one in the Jobs panel, then start this again.",
                                active)
        else:
            sentence = ngettext("%(who)s has %(count)s job queued or running, the most one person may have at once. "
                                "Wait for it to finish, or cancel it in the Jobs panel, then start this again.",
                                "%(who)s has %(count)s jobs queued or running, the most one person may have at once. "
                                "Wait for one to finish, or cancel one in the Jobs panel, then start this again.",
                                active)
        raise TooManyJobs(sentence % {"who": owner.get_username(), "count": active})
