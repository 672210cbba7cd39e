"""The translation catalogs compiled before any test asks for a language (`make test` compiles them too)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_stale_catalogs() -> None:
    """msgfmt each locale/*/LC_MESSAGES/*.po whose .mo is missing or older; atomic, as three passes run at once."""
    for catalog in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        compiled = catalog.with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= catalog.stat().st_mtime:
            continue
        partial = compiled.with_suffix(f".mo.{os.getpid()}")
        subprocess.run(["msgfmt", "--check-format", f"--output-file={partial}", str(catalog)], check=True)
        partial.replace(compiled)
