"""Create a connection's bucket when it does not exist: offered by the "no such bucket" message and the
connection's page, for managers of the whole connection and admins; the page is the confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from console import audit
from console.access.decorators import connection_settings_view
from console.connections.bucket_forms import BucketCreateForm
from storage import record_cache
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


@connection_settings_view(argument="name")
@require_http_methods(["GET", "POST"])
def bucket_create(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    form = BucketCreateForm(request.POST or None, initial={"region": connection.region})
    problem = None
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            get_gateway().create_bucket(name, region=values["region"], versioning=values["versioning"],
                                        object_lock=values["object_lock"])
        except StorageError as e:
            problem = str(e)
        else:
            record_cache.forget()  # the file pages keep the versioning state a minute (console.files.versioning)
            audit.record_storage_change(request, "bucket.created", connection=name, target=connection.bucket,
                                        region=values["region"] or connection.region,
                                        versioning=values["versioning"], object_lock=values["object_lock"])
            messages.success(request, f"The bucket '{connection.bucket}' was created.")
            return redirect("files_browse", name)
    missing = bucket_missing(name) if request.method == "GET" else True
    return render(request, "connections/bucket_create.html",
                  {"connection": connection, "form": form, "problem": problem, "missing": missing})
