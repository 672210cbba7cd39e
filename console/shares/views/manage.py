"""Pages where signed-in people create, list and revoke share links."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console.access import rules
from console.access.decorators import role_anywhere
from console.audit import record
from console.errors import http_status
from console.files.common import max_upload_size
from console.roles import ADMIN, EDITOR, has_role
from console.shares import service
from console.shares.forms import DROPBOX_DEFAULT_CAP, ShareForm
from console.shares.models import ShareLink
from storage.factory import get_gateway
from storage.gateway import InvalidRequest, StorageError
from storage.keys import validate_key

NEW_LINKS_SESSION_KEY = "new-share-links"
STATUSES = ("active", "inactive", "all")
STATE_LABELS = {
    "active": pgettext_lazy("share link state", "active"),
    "revoked": pgettext_lazy("share link state", "revoked"),
    "expired": pgettext_lazy("share link state", "expired"),
    "exhausted": pgettext_lazy("share link state", "exhausted"),
    "suspended": pgettext_lazy("share link state", "suspended"),
}


def _target(request: HttpRequest) -> tuple[str, str, bool]:
    source = request.POST if request.method == "POST" else request.GET
    connection, key = source.get("connection", ""), source.get("key", "")
    folder = key.endswith("/") or key == ""
    return connection, key, folder


@require_http_methods(["GET", "POST"])
@role_anywhere(EDITOR)
def share_new(request: HttpRequest) -> HttpResponse:
    """The share dialog: a page, or a partial when HTMX loads it into the file manager."""
    connection, key, folder = _target(request)
    rules.require(request.user, EDITOR, connection, key)  # a person shares only what they may change
    context = {"connection": connection, "key": key, "folder": folder, "back_url": _folder_url(connection, key)}
    try:
        if key:
            validate_key(key)
        if folder:  # the connection must exist and be enabled now, not come alive later
            get_gateway().list_objects(connection, key, max_keys=1)
        context["meta"] = None if folder else get_gateway().get_object_meta(connection, key)
    except StorageError as e:
        context["problem"] = str(e)
        return render(request, _template(request, "dialog"), context, status=200 if request.htmx else http_status(e))
    form = ShareForm(request.POST or None, folder=folder)
    if request.method == "POST" and form.is_valid():
        try:
            context.update(_create(request, form, connection, key, folder))
        except StorageError as e:
            context["problem"] = str(e)
        else:
            return render(request, _template(request, "created"), context)
    context["form"] = form
    return render(request, _template(request, "dialog"), context)


def _folder_url(connection: str, key: str) -> str:
    """The file manager's page for the folder holding `key` (or the folder itself)."""
    parent = key.rstrip("/").rpartition("/")[0]
    try:
        url = reverse("files_browse", args=[connection])
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'prefix': parent + '/'})}" if parent else url


def _template(request, name: str) -> str:
    return f"shares/_{name}.html" if request.htmx else f"shares/{name}.html"


def _create(request, form: ShareForm, connection: str, key: str, folder: bool) -> dict:
    data = form.cleaned_data
    expires_at = form.expires_at()
    if data["kind"] == "raw":
        seconds = int(form.lifetime().total_seconds())
        url = get_gateway().get_download_url(connection, key, seconds, filename=key.rsplit("/", 1)[-1],
                                             inline=data["inline"], internal=False)
        record(request, "share.raw_created", connection=connection, target=key, expires_in=seconds)
        return {"url": url, "raw": True, "expires_at": expires_at}
    kind = ShareLink.Kind.FILE
    if folder:
        kind = ShareLink.Kind.DROPBOX if data["kind"] == "dropbox" else ShareLink.Kind.FOLDER
    max_upload = (data.get("max_upload") or DROPBOX_DEFAULT_CAP) if kind == ShareLink.Kind.DROPBOX else None
    cap = max_upload_size(connection)
    if max_upload is not None and cap is not None and max_upload > cap:
        raise InvalidRequest(_("This connection accepts files of at most %(size)s; "
                               "choose a smaller largest upload.") % {"size": filesizeformat(cap)})
    with transaction.atomic():  # a link is stored with its audit row, or not at all
        share, token = service.create_share(
            user=request.user, kind=kind, connection=connection, key=key, expires_at=expires_at,
            password=data["password"], max_downloads=data["max_downloads"], inline=data["inline"],
            max_upload_size=max_upload)
        record(request, "share.created", connection=connection, target=key, share=share.pk, link_kind=kind,
               expires_at=expires_at.isoformat() if expires_at else None, protected=bool(data["password"]))
    url = request.build_absolute_uri(reverse("share_public", args=[token]))
    request.session.setdefault(NEW_LINKS_SESSION_KEY, {})[str(share.pk)] = url
    request.session.modified = True
    return {"url": url, "raw": False, "share": share, "expires_at": expires_at}


def _visible_shares(request):
    shares = ShareLink.objects.select_related("created_by")
    return shares if has_role(request.user, ADMIN) else shares.filter(created_by=request.user)


@require_GET
@role_anywhere(EDITOR)
def share_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    status = request.GET.get("status", "active")
    shares = _visible_shares(request)
    if status == "active":
        shares = shares.filter(ShareLink.usable(now))
    elif status == "inactive":
        shares = shares.exclude(ShareLink.usable(now))
    page = Paginator(shares, 50).get_page(request.GET.get("page"))
    new_links = request.session.pop(NEW_LINKS_SESSION_KEY, {})
    rows = [(s, *_state(s, now), new_links.get(str(s.pk))) for s in _one_user_object_each(page)]
    return render(request, "shares/list.html", {"rows": rows, "page": page, "status": status,
                                                "is_admin": has_role(request.user, ADMIN)})


def _one_user_object_each(shares) -> list[ShareLink]:
    """The shares with one object per creator, so each creator's access is read once for the page."""
    creators: dict = {}
    for share in shares:
        share.created_by = creators.setdefault(share.created_by_id, share.created_by)
    return list(shares)


def _state(share: ShareLink, now) -> tuple[str, str, str]:
    """The link's state, its label, and why it is suspended when its creator lost the access behind it."""
    state = share.state(now)
    reason = service.suspension(share) if state == "active" else None
    state = "suspended" if reason else state
    return state, STATE_LABELS[state], reason or ""


@require_POST
@role_anywhere(EDITOR)
def share_revoke(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("share") if i.isascii() and i.isdigit()]  # "²".isdigit()

    def audit(share: ShareLink) -> None:
        record(request, "share.revoked", connection=share.connection, target=share.key, share=share.pk)

    count = len(service.revoke(_visible_shares(request).filter(pk__in=ids), audit=audit))
    messages.success(request, ngettext("Revoked %(count)d link.", "Revoked %(count)d links.", count) % {"count": count})
    status = request.POST.get("status", "active")
    return redirect(f"{reverse('share_list')}?status={status if status in STATUSES else 'active'}")
