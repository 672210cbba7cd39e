"""The pages a visitor of /s/<token> sees: no sign-in, nothing about other objects."""

from __future__ import annotations

import json
import secrets
from functools import partial, wraps

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console.audit import DROPBOX_VISITOR, SHARE_VISITOR, client_address, record
from console.files.common import max_upload_size
from console.shares import service
from console.shares.models import ShareLink
from storage.factory import get_gateway
from storage.gateway import InvalidKey, ObjectNotFound, StorageError
from storage.keys import has_direction_controls, numbered, validate_key, validate_prefix
from storage.media_types import stored_type

POST_MAX_SIZE = 5 * 1024**3  # S3 takes at most 5 GiB in one form upload
# Who the audit log records for a visitor; the audit page translates it where it shows it.

GONE_REASONS = {
    "revoked": gettext_lazy("This link was revoked by the person who shared it."),
    "expired": gettext_lazy("This link has expired."),
    "exhausted": gettext_lazy("This link has reached its download limit."),
    "withdrawn": gettext_lazy("This link is no longer available: the person who shared it no longer has access to it."),
}


def public_page(view):
    """No referrer leaks, no caching, no indexing; the share is resolved and checked first."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs):
        share = service.find_share(token)
        if share is None:
            response = _gate(request, token, status=404)
        elif (state := share.state()) != "active":
            response = gone(request, state)
        elif not service.creator_still_may_share(share):
            response = gone(request, "withdrawn")
        elif share.password and not request.session.get(_unlock_key(share)):
            response = _gate(request, token, status=200)
        else:
            try:
                response = view(request, share, token, *args, **kwargs)
            except (ObjectNotFound, InvalidKey):
                response = not_found(request, share)
            except StorageError:
                response = render(request, "shares/public_message.html",
                                  {"title": _("Unavailable"), "text": _("The storage is unavailable right now; "
                                   "try again in a moment.")}, status=503)
        _no_referrer_beyond_us(response)
        response["X-Robots-Tag"] = "noindex, nofollow"  # i18n: not shown (a header)
        return response

    wrapped.public = True
    return never_cache(wrapped)


def _no_referrer_beyond_us(response: HttpResponse) -> None:
    """The token is in the address: it must never reach another site in a Referer.

    Pages say `same-origin`, not `no-referrer`: with no-referrer, Chromium posts their forms with
    `Origin: null`, which CSRF protection rightly refuses. Redirects (to storage) send nothing.
    """
    redirect = 300 <= response.status_code < 400
    response["Referrer-Policy"] = "no-referrer" if redirect else "same-origin"


def _unlock_key(share: ShareLink) -> str:
    return f"share-unlocked:{share.pk}"


def _gate(request, token: str, *, status: int, failed: bool = False) -> HttpResponse:
    """The password page; unknown tokens get the very same page as a wrong password."""
    return render(request, "shares/public_gate.html",
                  {"token": token, "failed": failed}, status=status)


def not_found(request, share: ShareLink) -> HttpResponse:
    """A file the live link does not hold (any more): 404, as for any missing page; the link itself is fine."""
    text = (_("The shared file is no longer there.") if share.kind == ShareLink.Kind.FILE
            else _("There is no such file in this share."))
    return render(request, "shares/public_message.html", {"title": _("Not found"), "text": text}, status=404)


def gone(request, state: str) -> HttpResponse:
    """The link itself no longer works (expired, revoked, used up, suspended): 410."""
    return render(request, "shares/public_message.html",
                  {"title": _("Link not available"), "text": GONE_REASONS[state]}, status=410)


@never_cache
@require_POST
def unlock(request: HttpRequest, token: str) -> HttpResponse:
    """Check a share's password (throttled per token and address, counted before it is checked)."""
    attempt = service.start_attempt(token, client_address(request))
    if attempt is None:
        response = render(request, "shares/public_message.html", {
            "title": _("Too many attempts"),
            "text": _("Too many wrong passwords. Wait 15 minutes, then try again.")}, status=429)
    else:
        share = service.find_share(token)
        if service.check_share_password(share, request.POST.get("password", "")):
            service.forget_attempt(attempt)
            request.session[_unlock_key(share)] = True
            response = HttpResponseRedirect(reverse("share_public", args=[token]))
        else:
            response = _gate(request, token, status=404, failed=True)
    _no_referrer_beyond_us(response)
    return response


@require_GET
@public_page
def share_page(request, share: ShareLink, token: str) -> HttpResponse:
    if share.kind == ShareLink.Kind.FOLDER:
        return _folder_page(request, share, token)
    if share.kind == ShareLink.Kind.DROPBOX:
        cap = _upload_cap(share)
        return render(request, "shares/public_dropbox.html", {"share": share, "token": token, "cap": cap,
                                                              "cap_words": _cap_words(cap)})
    meta = get_gateway().get_object_meta(share.connection, share.key)
    previewable = share.max_downloads is None and (
        meta.content_type.startswith(("image/", "text/")) or meta.content_type == "application/json")
    return render(request, "shares/public_file.html",
                  {"share": share, "token": token, "meta": meta, "name": share.name, "previewable": previewable})


def _folder_page(request, share: ShareLink, token: str) -> HttpResponse:
    path = request.GET.get("path", "")
    prefix = validate_prefix(share.key + path) if path else share.key
    page = get_gateway().list_objects(share.connection, prefix, token=request.GET.get("next") or None, max_keys=200)
    folders = [(f[len(share.key):], f[len(prefix):]) for f in page.folders]
    files = [(o, o.key[len(share.key):]) for o in page.objects]
    crumbs = _crumbs(path)
    return render(request, "shares/public_folder.html", {
        "share": share, "token": token, "path": path, "folders": folders, "files": files,
        "next_token": page.next_token, "crumbs": crumbs})


def _crumbs(path: str) -> list[tuple[str, str]]:
    parts = [p for p in path.split("/") if p]
    return [(name, "/".join(parts[: i + 1]) + "/") for i, name in enumerate(parts)]


def _shared_key(share: ShareLink, request: HttpRequest) -> str:
    if share.kind == ShareLink.Kind.FILE:
        return share.key
    relative = request.GET.get("key", "")
    return validate_key(share.key + relative, allow_folder_marker=False)


@require_GET
@public_page
def download(request, share: ShareLink, token: str) -> HttpResponse:
    """Count the download, then send the visitor straight to S3 with a one-minute URL."""
    if share.kind == ShareLink.Kind.DROPBOX:
        return not_found(request, share)  # a drop box takes files; it hands none out
    key = _shared_key(share, request)
    gateway = get_gateway()
    gateway.get_object_meta(share.connection, key)  # a missing file must not use up a download
    # Signed before the claim: a manager that fails to sign (commercial edition) uses up nothing.
    url = gateway.get_download_url(share.connection, key, service.DOWNLOAD_URL_SECONDS,
                                   filename=key.rsplit("/", 1)[-1], inline=share.inline, internal=False)
    audit = partial(record, request, "share.downloaded", connection=share.connection, target=key, share=share.pk,
                    actor_name=SHARE_VISITOR)
    if not service.claim_download(share, audit=audit):
        share.refresh_from_db()
        return gone(request, share.state() if share.state() != "active" else "exhausted")
    return HttpResponseRedirect(url)


@require_GET
@public_page
def preview(request, share: ShareLink, token: str) -> HttpResponse:
    if share.max_downloads is not None or share.kind == ShareLink.Kind.DROPBOX:
        return gone(request, "exhausted")
    key = _shared_key(share, request)
    url = get_gateway().get_download_url(share.connection, key, service.DOWNLOAD_URL_SECONDS,
                                         filename=key.rsplit("/", 1)[-1], inline=True, internal=False)
    return HttpResponseRedirect(url)


# --- drop box ---


def _json_body(request) -> dict | None:
    """The request's JSON object, or None when the body is not one (nesting too deep included)."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _dropbox_body(request, share: ShareLink) -> tuple[dict | None, JsonResponse | None]:
    """A drop-box call's JSON object, or the refusal to answer with instead."""
    if share.kind != ShareLink.Kind.DROPBOX:
        return None, _refused(_("This link does not accept uploads."))
    body = _json_body(request)
    return (body, None) if body is not None else (None, _refused(_("The request is not a JSON object.")))


def _upload_cap(share: ShareLink) -> int:
    """The largest file a drop-box visitor may post: the link's cap, the connection's, S3's for a form."""
    caps = (share.max_upload_size, max_upload_size(share.connection), POST_MAX_SIZE)
    return min(cap for cap in caps if cap is not None)


def _cap_words(cap: int) -> str:
    """The drop box's limit in the words its page and its refusal both use."""
    return _("up to %(size)s each") % {"size": filesizeformat(cap)}


@require_POST
@public_page
def upload_policy(request, share: ShareLink, token: str) -> HttpResponse:
    """Sign a POST policy for one file: exactly one key, chosen here, its type pinned, its size capped."""
    body, refusal = _dropbox_body(request, share)
    if refusal:
        return refusal
    name = str(body.get("filename", "")).strip().rsplit("/", 1)[-1]
    try:
        size = int(body.get("size", -1))
    except (TypeError, ValueError, OverflowError):
        size = -1
    if not name or size < 0:
        return _refused(_("Give a file name and its size."))
    if has_direction_controls(name):
        return _refused(_("The file name holds a text-direction control character; rename the file."))
    address = client_address(request)
    if service.too_many_policies(share, address):
        return _refused(_("Too many uploads from your address in the last hour; try again later."), 429)
    cap = _upload_cap(share)
    if size > cap:
        return _refused(_("The file is larger than this link allows (%(cap)s).") % {"cap": _cap_words(cap)})
    try:
        key = _free_key(share, name, address)
        if key is None:
            return _refused(_("Too many files of that name are here already; rename yours."), 409)
        post = get_gateway().get_upload_post(share.connection, key, service.DROPBOX_POLICY_SECONDS, max_size=cap,
                                             content_type=stored_type(key))
    except InvalidKey as e:
        return _refused(str(e))
    signed = request.session.setdefault(_signed_keys_name(share), [])
    request.session[_signed_keys_name(share)] = [*signed[-99:], key]  # what upload_done may record
    record(request, "share.dropbox_signed", connection=share.connection, target=key, size=size, share=share.pk,
           actor_name=DROPBOX_VISITOR)
    return JsonResponse({"url": post.url, "fields": post.fields, "key": key})


def _candidate_names(name: str):
    """name, "name (2).ext" ... "name (20).ext", then names no one can guess."""
    yield name
    for number in range(2, 21):
        yield numbered(name, number)
    for _attempt in range(5):
        yield numbered(name, secrets.token_hex(4))


def _free_key(share: ShareLink, name: str, address: str | None) -> str | None:
    """A key in the drop box that holds no file and that no other visitor's policy may write."""
    gateway = get_gateway()
    service.prune_dropbox_keys()
    for candidate in _candidate_names(name):
        key = validate_key(share.key + candidate, allow_folder_marker=False)
        try:
            gateway.get_object_meta(share.connection, key)
            continue
        except ObjectNotFound:
            pass
        if service.reserve_dropbox_key(share, key, address):
            return key
    return None


def _signed_keys_name(share: ShareLink) -> str:
    return f"dropbox-signed:{share.pk}"


@require_POST
@public_page
def upload_done(request, share: ShareLink, token: str) -> HttpResponse:
    body, refusal = _dropbox_body(request, share)
    if refusal:
        return refusal
    key = str(body.get("key", ""))
    signed = request.session.get(_signed_keys_name(share), [])
    if not key.startswith(share.key) or key not in signed:
        return _refused(_("That file was not uploaded through this page."))
    meta = get_gateway().get_object_meta(share.connection, validate_key(key))
    # Counted with its audit row or not at all, and forgotten by the session only then: a busy
    # database answers "nothing was changed", and the visitor's retry must still be accepted.
    with transaction.atomic():
        service.count_upload(share)
        record(request, "share.dropbox_upload", connection=share.connection, target=key, size=meta.size,
               share=share.pk, actor_name=DROPBOX_VISITOR)
    request.session[_signed_keys_name(share)] = [k for k in signed if k != key]  # recorded once
    return JsonResponse({"ok": True, "size": meta.size})


@require_http_methods(["GET", "POST"])
def share_public(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the share; POST checks its password."""
    if request.method == "POST":
        return unlock(request, token)
    return share_page(request, token)
