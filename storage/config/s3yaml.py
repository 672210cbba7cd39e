"""Read and write s3.yaml, the seed's format (camelCase keys), with precise errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from storage.connections import ConnectionSpec

REQUIRED_KEYS = ("name",)
# yaml key -> ConnectionSpec field
CONNECTION_KEYS = {
    "name": "name",
    "endpoint": "endpoint",
    "publicEndpoint": "public_endpoint",
    "region": "region",
    "accessKeyID": "access_key_id",
    "secretAccessKey": "secret_access_key",
    "bucketName": "bucket",
    "addressingStyle": "addressing_style",
    "useSSL": "use_ssl",
    "verifySSL": "verify_ssl",
    "enabled": "enabled",
}
BOOL_KEYS = {"useSSL", "verifySSL", "enabled"}
TOP_KEYS = {"default", "connections"}


class S3ConfigError(ValueError):
    """An s3.yaml problem, naming the file, the line and the key."""


@dataclass
class ConfigConnection:
    values: dict  # ConnectionSpec field -> value, only the keys present in the file
    line: int

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class Rejected:
    """A connection left out of a lenient parse: where it starts, its name if it has one, and why."""

    line: int
    name: str | None
    reason: str  # the S3ConfigError's text: file, line, key and what is wrong


@dataclass
class S3Config:
    default: str | None
    connections: list[ConfigConnection] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)  # only a lenient parse fills it
    default_problem: str = ""  # lenient: why `default` could not be used (it is None then)


def load(path: str | Path, *, lenient: bool = False, environ: Mapping[str, str] | None = None) -> S3Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise S3ConfigError(_("%(where)s: cannot be read: %(why)s") % {"where": path, "why": e.strerror}) from None
    return parse(text, source=str(path), lenient=lenient, environ=environ)


def parse(text: str, *, source: str = "s3.yaml", lenient: bool = False,
          environ: Mapping[str, str] | None = None) -> S3Config:
    """Read s3.yaml text; every problem names the file, the line and the key.

    Strict (the default) stops at the first problem. `lenient` (the start-up load) still stops
    when the file as a whole is unusable (not YAML, not a mapping, an unknown top-level key,
    `connections` not a list) but sets a broken connection aside in `rejected`, with its line
    and reason, and keeps reading the others. With `environ`, `${NAME}` in any value is
    replaced from it (see `expand`); without it, values are taken literally.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise S3ConfigError(_("%(where)s: not valid YAML: %(why)s") % {"where": where, "why": getattr(e, "problem", e)}) from None
    except RecursionError:
        raise S3ConfigError(_("%(where)s: nested too deeply to be an s3.yaml") % {"where": source}) from None
    if root is None:
        raise S3ConfigError(_("%(where)s: the file is empty") % {"where": source})
    top = _mapping(root, source, _("the top level"))
    unknown = set(top) - TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise S3ConfigError(_("%(where)s: unknown key '%(key)s' (expected: default, connections)")
                            % {"where": f"{source}:{_line(top[key][0])}", "key": key})
    connections, rejected = _connections(top.get("connections"), source, lenient=lenient, environ=environ)
    config = S3Config(default=None, connections=connections, rejected=rejected)
    if "default" in top:
        try:
            config.default = _default(top["default"], config, source, environ)
        except S3ConfigError as e:
            if not lenient:
                raise
            config.default_problem = str(e)
    return config


def _default(entry, config: S3Config, source: str, environ) -> str:
    default = _scalar(entry, source, "default", environ)
    if default and default not in [c.name for c in config.connections]:
        skipped = any(r.name == default for r in config.rejected)
        said = (_("%(where)s: key 'default' names '%(name)s', which was skipped") if skipped
                else _("%(where)s: key 'default' names '%(name)s', which is not among the connections"))
        raise S3ConfigError(said % {"where": f"{source}:{_line(entry[0])}", "name": default})
    return default or None


def _connections(entry, source: str, *, lenient: bool, environ) -> tuple[list[ConfigConnection], list[Rejected]]:
    if entry is None:
        return [], []
    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode):
        raise S3ConfigError(_("%(where)s: key 'connections' must be a list") % {"where": f"{source}:{_line(node)}"})
    result, rejected, seen = [], [], {}
    for item in node.value:
        try:
            conn = _connection(item, source, environ)
            if conn.name in seen:
                raise S3ConfigError(_("%(where)s: key 'name': '%(name)s' is defined twice (first on line %(first)s)")
                                    % {"where": f"{source}:{conn.line}", "name": conn.name, "first": seen[conn.name]})
        except S3ConfigError as e:
            if not lenient:
                raise
            rejected.append(Rejected(_line(item), _name_of(item), str(e)))
            continue
        seen[conn.name] = conn.line
        result.append(conn)
    return result, rejected


def _name_of(node) -> str | None:
    """The literal name of a connection node, for naming one that could not be read."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == "name" and isinstance(value_node, yaml.ScalarNode):
                return value_node.value or None
    return None


def _connection(node, source: str, environ=None) -> ConfigConnection:
    mapping = _mapping(node, source, _("a connection"))
    line = _line(node)
    for key, (key_node, _value) in mapping.items():
        if key not in CONNECTION_KEYS:
            raise S3ConfigError(_("%(where)s: unknown key '%(key)s' in a connection (known: %(known)s)")
                                % {"where": f"{source}:{_line(key_node)}", "key": key, "known": ", ".join(CONNECTION_KEYS)})
    if "name" not in mapping or not _scalar(mapping["name"], source, "name", environ):
        raise S3ConfigError(_("%(where)s: key 'name' is missing from a connection") % {"where": f"{source}:{line}"})
    values = {}
    for key, entry in mapping.items():
        raw = _scalar(entry, source, key, environ)
        values[CONNECTION_KEYS[key]] = _bool(raw, entry, source, key) if key in BOOL_KEYS else raw
    if values.get("addressing_style", "auto") not in ("auto", "path", "virtual"):
        raise S3ConfigError(_("%(where)s: key 'addressingStyle' must be auto, path or virtual")
                            % {"where": f"{source}:{_line(mapping['addressingStyle'][1])}"})
    return ConfigConnection(values=values, line=line)


def _mapping(node, source: str, what: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise S3ConfigError(_("%(where)s: %(what)s must be a mapping of keys to values")
                            % {"where": f"{source}:{_line(node)}", "what": what})
    result = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise S3ConfigError(_("%(where)s: %(what)s has a key that is not a name")
                                % {"where": f"{source}:{_line(key_node)}", "what": what})
        key = key_node.value
        if key in result:
            raise S3ConfigError(_("%(where)s: key '%(key)s' appears twice (first on line %(first)s)")
                                % {"where": f"{source}:{_line(key_node)}", "key": key, "first": _line(result[key][0])})
        result[key] = (key_node, value_node)
    return result


def _scalar(entry, source: str, key: str, environ: Mapping[str, str] | None = None) -> str:
    _key_node, node = entry
    if not isinstance(node, yaml.ScalarNode):
        raise S3ConfigError(_("%(where)s: key '%(key)s' must be a single value") % {"where": f"{source}:{_line(node)}", "key": key})
    if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
        return ""
    if environ is None:
        return str(node.value)
    try:
        return expand(str(node.value), environ)
    except S3ConfigError as e:
        raise S3ConfigError(_("%(where)s: key '%(key)s': %(why)s") % {"where": f"{source}:{_line(node)}", "key": key, "why": e}) from None


_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")


def expand(value: str, environ: Mapping[str, str]) -> str:
    """Replace each `${NAME}` with the environment variable NAME; `$${` is a literal `${`.

    Only the reference is replaced (`https://${HOST}:9000` keeps the rest). An unset variable
    is an error naming the variable, never showing any value; a set but empty one is "".
    A `$` not followed by `{` stays as it is.
    """
    def replace(match: re.Match) -> str:
        text, name = match.group(0), match.group(1)
        if text == "$${":
            return "${"
        if name is None:
            raise S3ConfigError(_("'${' must start a reference like ${NAME} (letters, digits, '_'); "
                                  "write $${ for a literal '${'"))
        if name not in environ:
            raise S3ConfigError(_("environment variable %(name)s is not set") % {"name": name})
        return environ[name]

    return _REFERENCE.sub(replace, value)


def referenced_values(text: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment values the file's `${NAME}` references stand for, to keep out of messages.

    Values shorter than 4 characters are left alone: hiding "1" would garble line numbers.
    """
    names = {m.group(1) for m in _REFERENCE.finditer(text) if m.group(1)}
    return {name: environ[name] for name in names if len(environ.get(name, "")) >= 4}


def hide_values(message: str, values: Mapping[str, str]) -> str:
    """`message` with each value written back as the `${NAME}` it came from (longest first)."""
    for name, value in sorted(values.items(), key=lambda item: -len(item[1])):
        message = message.replace(value, "${" + name + "}")
    return message


def _bool(raw: str, entry, source: str, key: str) -> bool:
    lowered = raw.lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    # The file's own text, not what ${NAME} expanded to: an environment value never reaches a message.
    raise S3ConfigError(_("%(where)s: key '%(key)s' must be true or false (got '%(value)s')")
                        % {"where": f"{source}:{_line(entry[1])}", "key": key, "value": entry[1].value})


def _line(node) -> int:
    return node.start_mark.line + 1


# --- writing ---

def dump(default: str | None, specs: list[ConnectionSpec], *, include_secrets: bool = False) -> str:
    """s3.yaml text for these connections; secrets are left out unless asked for."""
    connections = []
    for spec in specs:
        entry = {"name": spec.name, "endpoint": spec.endpoint, "region": spec.region,
                 "accessKeyID": spec.access_key_id}
        if include_secrets:
            entry["secretAccessKey"] = spec.secret_access_key
        entry["bucketName"] = spec.bucket
        if spec.public_endpoint:
            entry["publicEndpoint"] = spec.public_endpoint
        if spec.addressing_style != "auto":
            entry["addressingStyle"] = spec.addressing_style
        if not spec.use_ssl:
            entry["useSSL"] = False
        if not spec.verify_ssl:
            entry["verifySSL"] = False
        if not spec.enabled:
            entry["enabled"] = False
        connections.append(entry)
    document = {"default": default or "", "connections": connections}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False)
