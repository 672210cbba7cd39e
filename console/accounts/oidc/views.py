"""Single sign-on: the start (to the provider), the callback (back from it), and signing out there too.

The start is mozilla-django-oidc's view (state, nonce and PKCE kept in the session, `next` checked).
The callback is our own: it takes the state out of the session before anything else, so an answer
works once, and every refusal is a page that says why, recorded in the audit log.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from console.accounts import signins
from console.accounts.oidc import provider
from console.accounts.oidc.refusal import SignInRefused, plain_code, words


class StartView(OIDCAuthenticationRequestView):
    OIDC_OP_AUTH_ENDPOINT = property(lambda self: provider.endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads the endpoint here, before any error can be a page

    def get(self, request):
        if not provider.enabled():
            raise Http404(_("Single sign-on is not set up."))
        try:
            response = super().get(request)
        except provider.ProviderUnavailable as e:
            return refused(request, SignInRefused("provider_unavailable", e.args[0]))
        if not request.user.is_authenticated:  # signing in gives the session its full life (signins.signed_in)
            request.session.set_expiry(settings.OIDC_STATE_SECONDS)
        return response


start = StartView.as_view()


@require_GET
def callback(request) -> HttpResponse:
    if not provider.enabled():
        raise Http404(_("Single sign-on is not set up."))
    try:
        user = _authenticate(request)
    except SignInRefused as refusal:
        return refused(request, refusal)
    auth.login(request, user)
    signins.signed_in(request, user, signins.OIDC, provider=provider.name(),
                      **getattr(user, "oidc_groups_changed", {}))
    return redirect(_next_url(request))


def _authenticate(request):
    flow = _take_flow(request, request.GET.get("state", ""))
    if request.GET.get("error"):
        raise SignInRefused("provider_error", plain_code(request.GET["error"], words(gettext_noop("an error without a code"))))
    if flow is None:
        raise SignInRefused("unknown_state")
    if not request.GET.get("code"):
        raise SignInRefused("code_refused", words(gettext_noop("no code")))
    # Read the session again after the provider's slow answer, as the library does: other tabs may have written it.
    request.session = request.session.__class__(request.session.session_key)
    user = auth.authenticate(request=request, nonce=flow.get("nonce"), code_verifier=flow.get("code_verifier"))
    if user is None:
        raise SignInRefused("no_account")
    return user


def _take_flow(request, state: str) -> dict | None:
    """The nonce and PKCE verifier kept for this state, removed from the session at once: a state works once."""
    flows = request.session.get("oidc_states")
    if not state or not isinstance(flows, dict) or state not in flows:
        return None
    flow = flows.pop(state)
    request.session.save()
    return flow if isinstance(flow, dict) else None


def _next_url(request) -> str:
    """Where the person asked to go, checked again here (the library checked it at the start)."""
    wanted = request.session.pop("oidc_login_next", None) or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def refused(request, refusal: SignInRefused) -> HttpResponse:
    signins.failed(request, signins.OIDC, refusal.reason_in_english, username=refusal.username)
    context = {"reason": refusal.reason, "provider_name": provider.name(), "code": refusal.code}
    return render(request, "registration/sign_in_refused.html", context, status=refusal.status)


def provider_sign_out_url(request) -> str:
    """The provider's end-session URL for a session that began there (RP-initiated logout), else ""."""
    if not provider.enabled() or signins.method_of(request) != signins.OIDC:
        return ""
    endpoint = provider.logout_endpoint()
    if not endpoint:
        return ""
    query = {"client_id": settings.OIDC_RP_CLIENT_ID,
             "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))}
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
