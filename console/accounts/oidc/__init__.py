"""Single sign-on with OpenID Connect, on mozilla-django-oidc.

provider: the provider's endpoints (settings, else its discovery document); backend: the ID token's
checks and who the person is; identity: the account a provider's person links to; groups: the
groups claim turned into memberships; views: the start of sign-in and the callback, with a page
that says why a sign-in was refused.
"""
