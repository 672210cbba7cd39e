"""A local folder connection in a temporary folder, allowed as an admin would allow it."""

from __future__ import annotations

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.local.gateway import LocalFolderGateway


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "disk"
    path.mkdir()
    return path


@pytest.fixture
def local(settings, folder) -> LocalFolderGateway:
    settings.ALLOW_LOCAL_FOLDERS = True
    return LocalFolderGateway(StaticRegistry([ConnectionSpec("disk", kind="local", local_root=str(folder))]))
