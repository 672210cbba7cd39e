"""Create a connection's bucket when it does not exist: offered by the "no such bucket" message and the
connection's page, for managers of the whole connection and admins; the page is the confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from console import audit
from console.access.decorators import connection_settings_view
from console.connections.bucket_forms import BucketCreateForm
from console.files import versioning
from storage.factory import get_gateway
from storage.gateway import BucketNotFound, StorageError
from storage.models import Connection


def bucket_missing(name: str) -> bool | None:
    """Whether the connection's bucket is missing: True, False, or None when the storage cannot say now."""
    try:
        get_gateway().list_objects(name, "", max_keys=1)
    except BucketNotFound:
        return True
    except StorageError:
        return None
    return False


def _region_problem(connection: Connection, region: str) -> str | None:
    """A bucket elsewhere than the connection's region is one the connection, which signs for its region, misses."""
    if region and connection.region and region != connection.region:
        return (_("The connection '%(name)s' works in the region %(region)s: a bucket created in %(other)s would not "
                  "be reached through it. Leave the region empty, or change the connection's region first.")
                % {"name": connection.name, "region": connection.region, "other": region})
    return None


def _create(request, connection: Connection, values: dict) -> str | None:
    """Create the bucket and record it, then turn versioning on if asked (its own step: a bucket made and left
    unversioned is still recorded); the problem in plain words when something was not done."""
    if problem := _region_problem(connection, values["region"]):
        return problem
    try:
        get_gateway().create_bucket(connection.name, region=values["region"], object_lock=values["object_lock"])
    except StorageError as e:
        return str(e)
    versioned, problem = values["object_lock"], None  # a locked bucket is versioned already
    if values["versioning"] and not versioned:
        try:
            get_gateway().put_bucket_versioning(connection.name, "Enabled")  # i18n: not shown (the S3 value)
            versioned = True
        except StorageError as e:
            problem = (_("The bucket '%(bucket)s' was created, but versioning could not be turned on: %(why)s "
                         "Turn it on from the bucket page.") % {"bucket": connection.bucket, "why": e})
    versioning.forget()
    audit.record_storage_change(request, "bucket.created", connection=connection.name, target=connection.bucket,
                                region=values["region"] or connection.region, versioning=versioned,
                                object_lock=values["object_lock"])
    return problem


@connection_settings_view(argument="name")
@require_http_methods(["GET", "POST"])
def bucket_create(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    form = BucketCreateForm(request.POST or None, initial={"region": connection.region})
    problem = None
    missing = bucket_missing(name)  # asked again on POST: AWS answers 200 to creating a bucket you own already
    posted = request.method == "POST" and form.is_valid() and missing is not False
    if posted and not (problem := _create(request, connection, form.cleaned_data)):
        messages.success(request, _("The bucket '%(bucket)s' was created.") % {"bucket": connection.bucket})
        return redirect("files_browse", name)
    return render(request, "connections/bucket_create.html",
                  {"connection": connection, "form": form, "problem": problem, "missing": missing})
