"""Grants changed outside console/access/changes.py are audited too.

Django admin deletes a person, a group or a connection with their grants (a cascade no page sees); the
shell or a script may change a grant directly. Each such change gets its audit row here, by whoever made
the request when there was one (console.audit.current_request), with `via` saying where it came from.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from console import audit
from console.access import changes
from console.access.models import Grant


def _record_outside(kind: str, grant: Grant) -> None:
    request = audit.current_request()
    if request is None:
        changes.record(None, kind, grant, via=audit.NO_REQUEST, actor_name=audit.OUTSIDE_ACTOR)
    else:
        changes.record(request, kind, grant, via=request.path)


@receiver(post_save, sender=Grant, dispatch_uid="audit-grant-saved-outside")
def grant_saved(sender, instance: Grant, created: bool, raw: bool = False, **kwargs) -> None:
    if not raw and not changes.audited_here():
        _record_outside("grant.added" if created else "grant.changed", instance)


# Before the delete, in its transaction: a cascade may remove the person or connection named first (a grant's
# user and group are nullable, so Django orders nothing), and a delete that fails takes its row back.
@receiver(pre_delete, sender=Grant, dispatch_uid="audit-grant-deleted-outside")
def grant_deleted(sender, instance: Grant, **kwargs) -> None:
    if not changes.audited_here():
        _record_outside("grant.removed", instance)
