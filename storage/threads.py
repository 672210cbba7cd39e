"""Work handed to a pool thread, done in the language of the thread that hands it.

A new thread has no language active: an error it words (a transfer cut short, a part refused) would be in the
site's language, not in that of the person whose request, or whose job, asked for the work.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation


def in_this_language(fn: Callable) -> Callable:
    """`fn`, run in the language active here and now, whichever thread runs it."""
    language = translation.get_language()

    def run(*args, **kwargs):
        with translation.override(language):
            return fn(*args, **kwargs)

    return run
