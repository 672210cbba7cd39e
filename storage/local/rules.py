"""When local folder connections may be used: a development console, or one whose admin allowed them."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def local_folders_refusal() -> str:
    """Why local folder connections cannot be used here, in words for a person ('' when they can)."""
    if getattr(settings, "ALLOW_LOCAL_FOLDERS", False):  # from the environment; DEBUG turns it on by default
        return ""
    return _("Local folder connections are turned off: they let the console read and write files on its own "
             "server. An administrator can allow them with ALLOW_LOCAL_FOLDERS=true.")
