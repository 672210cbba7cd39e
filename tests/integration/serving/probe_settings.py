"""The console's settings with a URLconf of probes: what gunicorn does with request and response bodies."""

from console.settings import *  # noqa: F403

ROOT_URLCONF = "tests.integration.serving.probe_urls"
