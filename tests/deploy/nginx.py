"""Debian's nginx in front of the console, configured by deploy/nginx/console.conf itself.

The documented file is rendered with this run's ports, paths and host name, and included from a
small top-level nginx.conf that plays the part of Debian's /etc/nginx/nginx.conf: everything nginx
writes (pid, logs, temporary files) stays in one temporary directory, and nginx runs in the
foreground (`daemon off`) in a process group of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from storage.dev.seaweedfs import free_port
from tests.deploy.processes import ServerFailed, spawn, stop_group, tail, wait_for_port
from tests.deploy.tls import ServerCertificate

NGINX = "/usr/sbin/nginx"
EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "console.conf"

TOP_LEVEL = """\
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
worker_processes 1;
{user}
events {{ worker_connections 256; }}

http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {dir}/console.conf;
}}
"""


def render_example(text: str, *, hosts: list[str], http_port: int, https_port: int, upstream: str,
                   cert: ServerCertificate) -> str:
    """The example with this run's values; each value it names must still be there to replace."""
    replacements = {
        "console.example.com;": f"{' '.join(hosts)};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        # The two places the example marks "port": HTTPS is not on 443 here.
        "return 301 https://$host$request_uri;": f"return 301 https://$host:{https_port}$request_uri;",
        "proxy_set_header Host $host;": f"proxy_set_header Host $host:{https_port};",
        "/etc/ssl/console.example.com/fullchain.pem;": f"{cert.chain};",
        "/etc/ssl/console.example.com/privkey.pem;": f"{cert.key};",
        "server 127.0.0.1:8000;": f"server {upstream};",
    }
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{EXAMPLE} no longer contains {old!r}: update the smoke test with it")
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    cert: ServerCertificate
    hosts: list[str]  # server_name
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="oss-console-nginx-")))
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def origin(self, host: str) -> str:
        return f"https://{host}:{self.https_port}"

    @property
    def error_log(self) -> Path:
        return self.directory / "error.log"

    def _write_config(self, upstream: str) -> Path:
        site = render_example(EXAMPLE.read_text(), hosts=self.hosts, http_port=self.http_port,
                              https_port=self.https_port, upstream=upstream, cert=self.cert)
        (self.directory / "console.conf").write_text(site)
        (self.directory / "tmp").mkdir()
        # As root, nginx's workers drop to nobody, who must reach the temporary directories.
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        self.directory.chmod(0o755)
        config = self.directory / "nginx.conf"
        config.write_text(TOP_LEVEL.format(dir=self.directory, user=user))
        return config

    def start(self, upstream: str) -> Nginx:
        """In front of gunicorn at `upstream` (host:port)."""
        if not Path(NGINX).exists():
            raise ServerFailed(f"{NGINX} is missing: install Debian's nginx (scripts/ensure-system-packages.sh)")
        config = self._write_config(upstream)
        command = [NGINX, "-p", str(self.directory), "-c", str(config), "-e", str(self.error_log)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise ServerFailed(f"nginx -t refuses the rendered example:\n{check.stderr}")
        self.process = spawn(command, log=self.directory / "stdout.log")
        wait_for_port(self.process, self.https_port, log=self.error_log, timeout=15)
        wait_for_port(self.process, self.http_port, log=self.error_log, timeout=15)
        return self

    def log_tail(self) -> str:
        return tail(self.error_log)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)
