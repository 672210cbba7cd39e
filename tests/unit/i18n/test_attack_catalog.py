"""The scripts' catalog is cached publicly, so it must be the same bytes for everyone and carry nothing of a person's."""

from __future__ import annotations


def test_a_signed_in_persons_catalog_carries_no_session_cookie(as_viewer):
    # Cache-Control: public on an answer with Set-Cookie: sessionid lets a shared cache hand one person's session out.
    response = as_viewer.get("/jsi18n/zh-hans/")
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_catalog_says_the_language_it_is_in(client, db):
    response = client.get("/jsi18n/zh-hans/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"
