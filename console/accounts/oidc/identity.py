"""The console account of a provider's person: linked by issuer and `sub`, never by user name or email.

A new person gets a new account named after OIDC_USERNAME_CLAIM (else `sub`); when an account
already has that name, or one that reads alike (console.accounts.lookalikes), the new one is named
"name-2" (and so on): a provider can never sign someone into an account it did not create, nor
make one that passes for it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from console.accounts import lookalikes
from console.accounts.models import OidcAccount
from console.accounts.oidc.refusal import SignInRefused, words

NAME_LENGTH = 140  # room for a "-N" suffix within Django's 150
ATTEMPTS = 20


def account_for(issuer: str, subject: str, claims: dict) -> OidcAccount:
    """The account linked to this subject, made on first sign-in; its email and names follow the claims."""
    account = OidcAccount.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if account is None:
        account = _create(issuer, subject, claims)
    _update_profile(account.user, claims)
    account.last_sign_in = timezone.now()
    account.save(update_fields=["last_sign_in"])
    return account


def wanted_username(claims: dict, subject: str) -> str:
    for value in (claims.get(settings.OIDC_USERNAME_CLAIM), subject):
        if isinstance(value, str) and _valid(name := User.normalize_username(value.strip())[:NAME_LENGTH]):
            return name
    return "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:16]


def _valid(name: str) -> bool:
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        return False
    return bool(name) and not lookalikes.deceptive(name)


def _free_username(name: str) -> str:
    candidates = [name, *(f"{name}-{n}" for n in range(2, 1000))]
    taken = lookalikes.taken_usernames()
    return next(c for c in candidates if lookalikes.key(c) not in taken)


def _create(issuer: str, subject: str, claims: dict) -> OidcAccount:
    wanted = wanted_username(claims, subject)
    for _ in range(ATTEMPTS):  # a parallel sign-in may take the name, or link this very subject, first
        try:
            with transaction.atomic():
                user = User.objects.create_user(_free_username(wanted))  # no usable password
                return OidcAccount.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError:
            linked = OidcAccount.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
            if linked is not None:
                return linked
    raise SignInRefused("no_account", words(gettext_noop("no free user name")))


def _update_profile(user: User, claims: dict) -> None:
    wanted = {"email": claims.get("email"), "first_name": claims.get("given_name"),
              "last_name": claims.get("family_name")}
    limits = {"email": 254, "first_name": 150, "last_name": 150}
    changed = [field for field, value in wanted.items()
               if isinstance(value, str) and value[:limits[field]] != getattr(user, field)]
    for field in changed:
        setattr(user, field, wanted[field][:limits[field]])
    if changed:
        user.save(update_fields=changed)
