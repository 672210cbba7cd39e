"""gunicorn's settings for the production shape: `make serve`, the image, the benchmarks.

Read from the environment (command-line flags win): WEB_CONCURRENCY worker processes (default 2),
GUNICORN_THREADS threads each (default 16), an access log on stdout unless GUNICORN_ACCESS_LOG is
empty (or a file path). Threads suit the console: its requests wait on the
database and on storage signing, never on object bytes, except a local folder's and the S3 endpoint's, whose
transfers may hold all threads but one (TRANSFER_SLOTS, set here for the workers unless given).
"""

import os

from console.env import env_int, env_str

wsgi_app = "console.wsgi:application"
workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
# 16: S3 tools send 10 requests at once by default (the aws CLI, boto3's transfer manager), each holding a thread
# while its bytes pass; each thread may keep a database connection (CONN_MAX_AGE).
threads = env_int("GUNICORN_THREADS", 16, minimum=1)


def on_starting(server):
    """A slow client of a local folder's signed URL or of /s3/ holds a thread for as long as it takes: transfers get
    the threads less one (TRANSFER_SLOTS, unless given), so one is always left for pages. Read from the threads
    gunicorn runs with (a --threads flag wins over this file), before the workers start."""
    default = str(max(1, server.cfg.threads - 1))
    os.environ.setdefault("TRANSFER_SLOTS", os.environ.get("LOCAL_FOLDER_TRANSFERS") or default)
worker_class = "gthread"
timeout = 90  # above S3_READ_TIMEOUT's default (60 s): a slow storage answers before the worker is killed
graceful_timeout = 20
keepalive = 5
accesslog = env_str("GUNICORN_ACCESS_LOG", "-") or None
# gunicorn's default line, without the query string and the referrer: a presigned URL's query (of /s3/, of a local
# folder) is a credential for up to a week, and a log is read by more people than the keys' owners.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
# gunicorn 24+ opens a control socket at ~/.gunicorn/gunicorn.ctl: one path for every server of the
# user, so a second console (or the benchmarks' and tests' servers) on the host would fight over it.
control_socket_disable = True
# Whether a request came over HTTPS is the console's call (SECURE_PROXY_HEADER), not gunicorn's. By
# default gunicorn believes X-Forwarded-Proto, -Ssl and -Protocol from 127.0.0.1, so behind a proxy on
# the same host requests counted as HTTPS even with SECURE_PROXY_HEADER off.
secure_scheme_headers: dict[str, str] = {}
