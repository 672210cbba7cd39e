"""A signed download answers with a Cache-Control no shared cache keeps (attack pass on #17 item 3).

An editor may store "public, max-age=31536000" on a private file (the metadata form and the upload settings take
any printable Cache-Control). The storage then sends it with every signed download the console makes, so a proxy
or CDN between a person and the storage keeps the private file for a year, and serves it to whoever has the link
long after the link's own 15 minutes.
"""

from __future__ import annotations

import pytest

from storage.disposition import response_overrides


@pytest.mark.parametrize("name, inline", [("report.pdf", False), ("report.pdf", True), ("page.html", True)])
def test_a_signed_download_is_never_kept_by_a_shared_cache(name, inline):
    overrides = response_overrides(name, None, inline)
    assert "private" in overrides.get("ResponseCacheControl", "") or "no-store" in overrides.get(
        "ResponseCacheControl", "")
