"""Apply an s3.yaml to the connection records (preview first), and export them back."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from storage import record_cache
from storage.config import s3yaml
from storage.config.s3yaml import S3Config, S3ConfigError
from storage.connections import ConnectionSpec
from storage.endpoint_rules import connection_endpoint_errors
from storage.models import Connection

# Fields an import sets; anything the file leaves out takes its default,
# except the secret: a file without one (every default export) keeps the stored secret.
_SPEC_DEFAULTS = {f.name: f.default for f in fields(ConnectionSpec) if f.name not in ("name",)}
_IMPORTED = ["endpoint", "public_endpoint", "region", "access_key_id", "bucket",
             "addressing_style", "use_ssl", "verify_ssl", "enabled"]


@dataclass
class PlannedChange:
    name: str
    values: dict
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    default: str | None
    created: list[PlannedChange] = field(default_factory=list)
    updated: list[PlannedChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    default_changes: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.default_changes)

    def summary(self) -> str:
        counts = {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
                  "removed": len(self.removed)}
        if self.default_changes:
            return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(removed)s removed; "
                     "default changes") % counts
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(removed)s removed") % counts


def plan_import(config: S3Config, *, prune: bool = False, source: str = "s3.yaml") -> ImportPlan:
    existing = {c.name: c for c in Connection.objects.all()}
    final_default = _final_default(config, existing, prune=prune)
    plan = ImportPlan(default=final_default)
    for entry in config.connections:
        values = connection_values(entry, source)
        if final_default == entry.name and not values["enabled"]:
            raise S3ConfigError(_("%(where)s: the default connection '%(name)s' must be enabled")
                                % {"where": f"{source}:{entry.line}", "name": entry.name})
        record = existing.get(entry.name)
        if record is None:
            plan.created.append(PlannedChange(entry.name, values, sorted(values)))
            continue
        changed = [k for k, v in values.items() if getattr(record, k) != v]
        if changed and record.is_managed:
            raise S3ConfigError(f"{source}:{entry.line}: {record.managed_reason}")
        if changed:
            plan.updated.append(PlannedChange(entry.name, values, changed))
        else:
            plan.unchanged.append(entry.name)
    names = {c.name for c in config.connections}
    if prune:
        plan.removed = sorted(set(existing) - names)
        managed = [existing[name] for name in plan.removed if existing[name].is_managed]
        if managed:
            raise S3ConfigError(_("%(where)s: pruning would remove '%(name)s': %(why)s")
                                % {"where": source, "name": managed[0].name, "why": managed[0].managed_reason})
    current_default = next((n for n, c in existing.items() if c.is_default), None)
    plan.default_changes = final_default is not None and final_default != current_default
    if plan.default_changes and (locked := Connection.default_lock_reason()):
        raise S3ConfigError(_("%(where)s: the default would move to '%(name)s'. %(why)s")
                            % {"where": source, "name": final_default, "why": locked})
    return plan


def _final_default(config: S3Config, existing: dict[str, Connection], *, prune: bool) -> str | None:
    if config.default:
        return config.default
    current = next((n for n, c in existing.items() if c.is_default), None)
    kept = not prune or current in {c.name for c in config.connections}
    if current is not None and kept:
        return current
    return config.connections[0].name if config.connections else None


def connection_values(entry: s3yaml.ConfigConnection, source: str) -> dict:
    """The record values a file's connection sets, checked like the connection form checks them."""
    if not entry.values.get("bucket"):
        raise S3ConfigError(_("%(where)s: key 'bucketName' is missing from connection '%(name)s'")
                            % {"where": f"{source}:{entry.line}", "name": entry.name})
    values = {name: entry.values.get(name, _SPEC_DEFAULTS[name]) for name in _IMPORTED}
    if "secret_access_key" in entry.values:
        values["secret_access_key"] = entry.values["secret_access_key"]
    probe = Connection(name=entry.name, **values)
    try:
        probe.full_clean(exclude=["is_default"], validate_unique=False)
    except ValidationError as e:
        field_name, messages = next(iter(e.message_dict.items()))
        yaml_key = next((k for k, f in s3yaml.CONNECTION_KEYS.items() if f == field_name), field_name)
        raise S3ConfigError(_("%(where)s: key '%(key)s' of connection '%(name)s': %(why)s") % {
            "where": f"{source}:{entry.line}", "key": yaml_key, "name": entry.name, "why": " ".join(messages)}) from None
    for field_name, message in connection_endpoint_errors(
            values["endpoint"], values["public_endpoint"], use_ssl=values["use_ssl"], bucket=values["bucket"],
            addressing_style=values["addressing_style"]).items():
        yaml_key = next(k for k, f in s3yaml.CONNECTION_KEYS.items() if f == field_name)
        raise S3ConfigError(_("%(where)s: key '%(key)s' of connection '%(name)s': %(why)s") % {
            "where": f"{source}:{entry.line}", "key": yaml_key, "name": entry.name, "why": message})
    return values


@transaction.atomic
def apply_import(plan: ImportPlan) -> None:
    """Carry out a plan in one transaction: all of it or nothing."""
    if plan.default_changes:
        Connection.objects.filter(is_default=True).update(is_default=False)
    if plan.removed:
        Connection.objects.filter(name__in=plan.removed).delete()
    for change in plan.created:
        Connection.objects.create(name=change.name, **change.values)
    for change in plan.updated:
        record = Connection.objects.get(name=change.name)
        for key, value in change.values.items():
            setattr(record, key, value)
        if not record.enabled:
            record.is_default = False
        record.save()
    if plan.default:
        Connection.objects.get(name=plan.default).make_default()
    transaction.on_commit(record_cache.forget)


def import_file(path, *, prune: bool = False) -> ImportPlan:
    config = s3yaml.load(path)
    plan = plan_import(config, prune=prune, source=str(path))
    apply_import(plan)
    return plan


def export_text(*, include_secrets: bool = False) -> str:
    records = list(Connection.objects.order_by("name"))
    default = next((r.name for r in records if r.is_default), None)
    return s3yaml.dump(default, [ConnectionSpec.from_record(r) for r in records], include_secrets=include_secrets)
