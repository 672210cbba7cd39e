"""What runs once when a server process starts (wsgi/asgi, hence runserver and gunicorn).

`S3_CONFIG` names an s3.yaml (default `/conf/s3.yaml`, where deploys mount a ConfigMap; empty
turns this off). Unlike `import_s3_config` and the import page, which are all or nothing because
a person reads the errors, the start-up load applies each connection on its own: one that fails
(bad values, refused by the endpoint rules, a duplicate, an unset `${NAME}`) is logged with its
name, the file's line and the reason, and skipped; the others load and the console starts. A
file that cannot be read as a whole is logged too, and the connections stay as they were.

Connections loaded from the file are marked as managed by it (`Connection.managed_by`): the
console refuses edits that the next start would undo. `S3_CONFIG_PRUNE` makes the file the
whole truth: connections missing from it are disabled (never deleted).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction

from storage import record_cache
from storage.config import s3yaml
from storage.config.s3yaml import S3ConfigError
from storage.config.sync import connection_values
from storage.models import Connection

log = logging.getLogger("storage.startup")
DEFAULT_PATH = "/conf/s3.yaml"


@dataclass
class StartupReport:
    path: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names (or "line N" when a connection has none)
    disabled: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    default: str | None = None

    @property
    def loaded(self) -> list[str]:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (f"{len(self.loaded)} loaded ({len(self.created)} created, {len(self.updated)} updated, "  # i18n: not shown (start-up log)
                f"{len(self.unchanged)} unchanged), {len(self.skipped)} skipped, {len(self.disabled)} disabled; "
                f"default is '{self.default or 'none'}'")


def import_configured_connections() -> StartupReport | None:
    """Load S3_CONFIG into the connection records; log problems, never stop the start."""
    path = settings.S3_CONFIG
    try:
        if not path:
            # Nothing is touched: marks left by an earlier file no longer lock anything (Connection.is_managed).
            log.info("S3_CONFIG is empty: no s3.yaml is loaded at start-up")
            return None
        if path == getattr(settings, "S3_CONFIG_DEFAULT", DEFAULT_PATH) and not Path(path).exists():
            log.info("no %s: connections are managed in the console", path)
            _release_all(f"there is no {path}")  # i18n: not shown (start-up log)
            return None
        return load_at_startup(path, prune=settings.S3_CONFIG_PRUNE, environ=os.environ)
    except DatabaseError as e:
        log.error("%s was not loaded at start-up: the database is not ready (%s); run manage.py migrate", path, e)
        return None


def load_at_startup(path: str, *, prune: bool = False, environ: Mapping[str, str] | None = None) -> StartupReport:
    """Apply each connection of the file on its own; see the module's docstring."""
    report = StartupReport(path)
    try:
        config = s3yaml.load(path, lenient=True, environ=environ if environ is not None else os.environ)
    except S3ConfigError as e:
        log.error("%s; nothing was loaded from it, the connections stay as they were", e)
        return report
    # A checker's message may quote a value (a port, an address); one that came from ${NAME} is
    # written back as ${NAME} before it reaches the log.
    hidden = s3yaml.referenced_values(Path(path).read_text(encoding="utf-8", errors="replace"),
                                      environ if environ is not None else os.environ)
    loaded_default = None
    # In the file's order, so the log reads like the file.
    for entry in sorted([*config.connections, *config.rejected], key=lambda item: item.line):
        if isinstance(entry, s3yaml.Rejected):
            _skip(report, entry.name, entry.line, s3yaml.hide_values(entry.reason, hidden))
            continue
        try:
            values = connection_values(entry, path)
            if entry.name == config.default and not values["enabled"]:
                raise S3ConfigError(f"{path}:{entry.line}: the default connection '{entry.name}' must be enabled")  # i18n: not shown (start-up log)
            outcome = _apply(entry.name, values, path)
        except S3ConfigError as e:
            _skip(report, entry.name, entry.line, s3yaml.hide_values(str(e), hidden))
            continue
        except DatabaseError as e:
            _skip(report, entry.name, entry.line,
                  s3yaml.hide_values(f"{path}:{entry.line}: the database refused it: {e}", hidden))  # i18n: not shown (start-up log)
            continue
        getattr(report, outcome).append(entry.name)
        if entry.name == config.default:
            loaded_default = entry.name

    current = Connection.objects.filter(is_default=True).values_list("name", flat=True).first()
    if loaded_default:
        if loaded_default != current:
            Connection.objects.get(name=loaded_default).make_default()
    elif config.default_problem or config.default:
        problem = config.default_problem or f"{path}: key 'default' names '{config.default}', which was skipped"  # i18n: not shown (start-up log)
        log.error("%s; the default stays '%s'", problem, current or "none")

    in_file = {c.name for c in config.connections} | {r.name for r in config.rejected if r.name}
    for record in Connection.objects.exclude(name__in=in_file).order_by("name"):
        if prune:
            _disable(report, record, path)
        elif record.managed_by:
            _release(report, record, f"it is no longer in {path}")  # i18n: not shown (start-up log)
    _ensure_default()
    record_cache.forget()
    report.default = Connection.objects.filter(is_default=True).values_list("name", flat=True).first()
    log.info("s3.yaml %s: %s", path, report.summary())
    return report


def _skip(report: StartupReport, name: str | None, line: int, reason: str) -> None:
    # `reason` starts with "<file>:<line>:" and names the key; values from ${NAME} are hidden by the caller.
    log.error("connection %s skipped: %s", f"'{name}'" if name else f"on line {line}", reason)
    report.skipped.append(name or f"line {line}")


def _apply(name: str, values: dict, path: str) -> str:
    """Create or update one record, in its own transaction; 'created', 'updated' or 'unchanged'."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                record = Connection.objects.select_for_update().filter(name=name).first()
                if record is None:
                    Connection.objects.create(name=name, managed_by=path, **values)
                    return "created"
                changed = [k for k, v in values.items() if getattr(record, k) != v]
                if not changed and record.managed_by == path:
                    return "unchanged"
                for key, value in values.items():
                    setattr(record, key, value)
                record.managed_by = path
                if not record.enabled:
                    record.is_default = False
                record.save()
                return "updated" if changed else "unchanged"
        except IntegrityError:
            if attempt == 2:  # another process starting at the same time created it first: update it
                raise
    raise AssertionError("unreachable")


def _disable(report: StartupReport, record: Connection, path: str) -> None:
    """S3_CONFIG_PRUNE: a connection missing from the file is disabled and locked, never deleted."""
    if record.is_default:
        replacement = (Connection.objects.filter(enabled=True, managed_by=path).exclude(pk=record.pk)
                       .order_by("name").first())
        if replacement is None:
            log.error("'%s' is not in %s, but stays enabled: it is the default and the file loads no "
                      "connection to take over", record.name, path)
            return
        replacement.make_default()
        record.refresh_from_db()
    if not record.enabled and record.managed_by == path:
        return
    record.enabled = False
    record.is_default = False
    record.managed_by = path
    record.save(update_fields=["enabled", "is_default", "managed_by", "updated_at"])
    log.warning("'%s' is disabled: it is not in %s and S3_CONFIG_PRUNE is on", record.name, path)
    report.disabled.append(record.name)


def _release(report: StartupReport | None, record: Connection, why: str) -> None:
    record.managed_by = ""
    record.save(update_fields=["managed_by", "updated_at"])
    log.info("'%s' is managed in the console again: %s", record.name, why)
    if report is not None:
        report.released.append(record.name)


def _release_all(why: str) -> None:
    for record in Connection.objects.exclude(managed_by="").order_by("name"):
        _release(None, record, why)


def _ensure_default() -> None:
    """The seed's rule: with no usable default, the first usable connection is the default."""
    if Connection.objects.filter(is_default=True).exists():
        return
    first = Connection.objects.filter(enabled=True).order_by("name").first()
    if first is not None:
        first.make_default()
        log.info("'%s' is now the default connection", first.name)
