"""scripts/i18n_unmarked.py, loaded as a module for the tests (scripts/ is not a package)."""

from __future__ import annotations

import importlib.util

from tests.catalogs import ROOT

_spec = importlib.util.spec_from_file_location("i18n_unmarked", ROOT / "scripts" / "i18n_unmarked.py")
checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)
