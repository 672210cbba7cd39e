from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from storage.gateway import StorageError, get_gateway


@require_GET
@login_required
def index(request):
    """The start page: the storages this console reaches."""
    storages, problem = [], None
    try:
        storages = get_gateway().list_storages()
    except StorageError as e:
        problem = str(e)
    return render(request, "home.html", {"storages": storages, "problem": problem})
