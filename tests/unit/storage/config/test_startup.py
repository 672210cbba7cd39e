"""The start-up load of S3_CONFIG: each connection on its own, logged and skipped when it fails."""

from __future__ import annotations

import logging
import textwrap

import pytest

from storage.config import startup
from storage.models import Connection

pytestmark = pytest.mark.django_db

THREE = textwrap.dedent("""\
    default: primary
    connections:
      - name: primary
        endpoint: 127.0.0.1:8333
        region: us-east-1
        accessKeyID: ${PRIMARY_KEY_ID}
        secretAccessKey: ${PRIMARY_SECRET}
        bucketName: dataflow
      - name: metadata
        endpoint: 169.254.169.254
        bucketName: dataflow
      - name: backup
        endpoint: 127.0.0.1:8334
        bucketName: dataflow-backup
""")
ENV = {"PRIMARY_KEY_ID": "AKIDFROMSECRET", "PRIMARY_SECRET": "secret-value-from-a-kubernetes-secret"}


@pytest.fixture
def s3_yaml(tmp_path):
    path = tmp_path / "s3.yaml"
    path.write_text(THREE)
    return path


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "storage.startup" and r.levelno >= logging.ERROR]


def names() -> list[str]:
    return sorted(Connection.objects.values_list("name", flat=True))


def test_it_skips_a_refused_endpoint_and_loads_the_others(s3_yaml, caplog):
    report = startup.load_at_startup(str(s3_yaml), environ=ENV)
    assert names() == ["backup", "primary"] and report.skipped == ["metadata"]
    assert errors(caplog) == [
        f"connection 'metadata' skipped: {s3_yaml}:9: key 'endpoint' of connection 'metadata': "
        "169.254.169.254 is a link-local, metadata or unspecified address; the console never connects there."]
    assert Connection.objects.get(is_default=True).name == "primary"


def test_secrets_come_from_the_environment_and_never_reach_the_log(s3_yaml, caplog):
    caplog.set_level(logging.DEBUG)
    startup.load_at_startup(str(s3_yaml), environ=ENV)
    primary = Connection.objects.get(name="primary")
    assert primary.access_key_id == "AKIDFROMSECRET"
    assert primary.secret_access_key == "secret-value-from-a-kubernetes-secret"
    assert "secret-value-from" not in caplog.text


def test_an_unset_variable_skips_that_connection_and_names_the_variable(s3_yaml, caplog):
    startup.load_at_startup(str(s3_yaml), environ={"PRIMARY_KEY_ID": "AKIDFROMSECRET"})
    assert names() == ["backup"]
    assert (f"connection 'primary' skipped: {s3_yaml}:7: key 'secretAccessKey': "
            "environment variable PRIMARY_SECRET is not set") in errors(caplog)
    assert "key 'default' names 'primary', which was skipped; the default stays 'backup'" in caplog.text


def test_bad_values_and_duplicates_are_skipped_one_by_one(tmp_path, caplog):
    path = tmp_path / "s3.yaml"
    path.write_text(textwrap.dedent("""\
        connections:
          - name: a
            bucketName: one
          - name: "bad name!"
            bucketName: b
          - name: a
            bucketName: two
          - name: nobucket
          - name: c
            bucketName: b
            colour: red
          - name: d
            bucketName: b
    """))
    report = startup.load_at_startup(str(path), environ={})
    assert names() == ["a", "d"] and Connection.objects.get(name="a").bucket == "one"
    assert report.skipped == ["bad name!", "a", "nobucket", "c"]
    logged = "\n".join(errors(caplog))
    assert f"connection 'bad name!' skipped: {path}:4: key 'name' of connection 'bad name!'" in logged
    assert f"connection 'a' skipped: {path}:6: key 'name': 'a' is defined twice (first on line 2)" in logged
    assert f"connection 'nobucket' skipped: {path}:8: key 'bucketName' is missing" in logged
    assert f"connection 'c' skipped: {path}:11: unknown key 'colour'" in logged


@pytest.mark.parametrize("text", ["connections: [\n", "- a list\n- not a mapping\n", ""])
def test_a_broken_file_is_logged_and_the_connections_stay(tmp_path, caplog, text):
    Connection.objects.create(name="kept", bucket="b")
    path = tmp_path / "s3.yaml"
    path.write_text(text)
    report = startup.load_at_startup(str(path), environ={})
    assert names() == ["kept"] and report.loaded == []
    [line] = errors(caplog)
    assert line.startswith(str(path)) and line.endswith("nothing was loaded from it, the connections stay as they were")


def test_loaded_connections_are_managed_by_the_file(s3_yaml):
    Connection.objects.create(name="by-hand", bucket="b")
    startup.load_at_startup(str(s3_yaml), environ=ENV)
    managed = dict(Connection.objects.values_list("name", "managed_by"))
    assert managed == {"primary": str(s3_yaml), "backup": str(s3_yaml), "by-hand": ""}


def test_a_second_start_changes_nothing_and_undoes_edits(s3_yaml):
    startup.load_at_startup(str(s3_yaml), environ=ENV)
    Connection.objects.filter(name="backup").update(bucket="edited")
    report = startup.load_at_startup(str(s3_yaml), environ=ENV)
    assert report.updated == ["backup"] and report.unchanged == ["primary"]
    assert Connection.objects.get(name="backup").bucket == "dataflow-backup"


def test_a_connection_dropped_from_the_file_is_released_without_prune(s3_yaml, caplog):
    startup.load_at_startup(str(s3_yaml), environ=ENV)
    s3_yaml.write_text(THREE.split("  - name: metadata")[0])
    caplog.set_level(logging.INFO)
    report = startup.load_at_startup(str(s3_yaml), environ=ENV)
    backup = Connection.objects.get(name="backup")
    assert backup.enabled and backup.managed_by == "" and report.released == ["backup"]
    assert f"'backup' is managed in the console again: it is no longer in {s3_yaml}" in caplog.text


def test_prune_disables_connections_missing_from_the_file(s3_yaml, caplog):
    old = Connection.objects.create(name="old", bucket="b")
    assert old.is_default
    report = startup.load_at_startup(str(s3_yaml), prune=True, environ=ENV)
    old.refresh_from_db()
    assert not old.enabled and not old.is_default and old.managed_by == str(s3_yaml)
    assert report.disabled == ["old"] and names() == ["backup", "old", "primary"]  # disabled, never deleted
    assert f"'old' is disabled: it is not in {s3_yaml} and S3_CONFIG_PRUNE is on" in caplog.text
    assert Connection.objects.get(is_default=True).name == "primary"


def test_prune_keeps_a_connection_whose_entry_is_broken(s3_yaml):
    startup.load_at_startup(str(s3_yaml), prune=True, environ=ENV)
    report = startup.load_at_startup(str(s3_yaml), prune=True, environ={})  # primary's secret is now unset
    primary = Connection.objects.get(name="primary")
    assert report.skipped == ["primary", "metadata"] and report.disabled == []
    assert primary.enabled and primary.is_default and primary.secret_access_key.startswith("secret-value")


def test_prune_leaves_the_default_enabled_when_nothing_can_take_over(tmp_path, caplog):
    Connection.objects.create(name="only", bucket="b")
    path = tmp_path / "s3.yaml"
    path.write_text("connections: []\n")
    startup.load_at_startup(str(path), prune=True, environ={})
    assert Connection.objects.get(name="only").enabled
    assert "'only' is not in" in caplog.text and "stays enabled: it is the default" in caplog.text


def test_the_hook_reads_s3_config_and_never_raises(s3_yaml, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PRIMARY_KEY_ID", "AKIDFROMSECRET")
    monkeypatch.setenv("PRIMARY_SECRET", "secret-value-from-a-kubernetes-secret")
    settings.S3_CONFIG = str(s3_yaml)
    assert startup.import_configured_connections().loaded == ["primary", "backup"]
    settings.S3_CONFIG = str(tmp_path / "missing.yaml")
    assert startup.import_configured_connections().loaded == []  # logged; the console starts


def test_the_default_path_is_optional_and_empty_turns_loading_off(s3_yaml, settings, tmp_path, caplog):
    settings.S3_CONFIG_DEFAULT = settings.S3_CONFIG = str(tmp_path / "conf" / "s3.yaml")
    assert startup.import_configured_connections() is None and not errors(caplog)
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "s3.yaml").write_text("connections:\n  - name: a\n    bucketName: b\n")
    assert startup.import_configured_connections().created == ["a"]
    assert Connection.objects.get(name="a").is_managed
    (tmp_path / "conf" / "s3.yaml").unlink()  # the ConfigMap is gone: nobody would undo an edit now
    assert startup.import_configured_connections() is None
    assert Connection.objects.get(name="a").managed_by == ""
    (tmp_path / "conf" / "s3.yaml").write_text("connections:\n  - name: a\n    bucketName: b\n")
    startup.import_configured_connections()
    settings.S3_CONFIG = ""
    assert startup.import_configured_connections() is None  # loading is off: nothing is read or written
    assert not Connection.objects.get(name="a").is_managed  # and the old mark locks nothing


def test_s3_config_defaults_to_conf_s3_yaml(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "console.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(repr(settings.S3_CONFIG))"
    unset = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    empty = subprocess.run([sys.executable, "-c", code], env={**env, "S3_CONFIG": ""}, capture_output=True,
                           text=True, check=True)
    assert (unset.stdout.strip(), empty.stdout.strip()) == ("'/conf/s3.yaml'", "''")


@pytest.mark.parametrize("endpoint", ["http://[${TOKEN}]", "http://127.0.0.1:${TOKEN}"])
def test_a_value_from_the_environment_never_reaches_a_skip_message(tmp_path, caplog, endpoint):
    """Found by an attack pass: the endpoint checker's message quoted the expanded value."""
    path = tmp_path / "s3.yaml"
    path.write_text(f"connections:\n  - name: leaky\n    endpoint: '{endpoint}'\n    bucketName: b\n")
    startup.load_at_startup(str(path), environ={"TOKEN": "topsecret"})
    assert names() == [] and len(errors(caplog)) == 1
    assert "topsecret" not in caplog.text
