"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in OIDC mode.

It runs as its own process (server.py starts it on a free loopback port), with its own SQLite
database, an RS256 key made at start, a login page, and people whose groups go into the ID token
and the userinfo answer as the `groups` claim. Tests steer it through a small control API.
"""
