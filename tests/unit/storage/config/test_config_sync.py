import textwrap

import pytest
from django.core.management import CommandError, call_command

from storage.config import s3yaml
from storage.config import sync as config_sync
from storage.models import Connection
from tests.unit.storage.config.test_s3yaml import SEED_SAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "s3.yaml"
    path.write_text(SEED_SAMPLE)
    return path


def test_it_imports_the_seed_sample(seed_file):
    call_command("import_s3_config", str(seed_file))
    primary, backup = Connection.objects.get(name="primary"), Connection.objects.get(name="backup")
    assert primary.is_default and not backup.is_default
    assert backup.endpoint == "minio.example.com:9000"
    assert primary.secret_access_key == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_export_then_reimport_changes_nothing(seed_file, tmp_path, capsys):
    call_command("import_s3_config", str(seed_file))
    exported = tmp_path / "exported.yaml"
    call_command("export_s3_config", "--output", str(exported))
    text = exported.read_text()
    assert "wJalrXUtnFEMI" not in text and "minioadmin\n" not in text.split("accessKeyID: minioadmin")[-1]
    assert s3yaml.parse(text).default == "primary"

    plan = config_sync.plan_import(s3yaml.load(exported), source=str(exported))
    assert not plan.has_changes
    assert sorted(plan.unchanged) == ["backup", "primary"]
    config_sync.apply_import(plan)
    assert Connection.objects.get(name="primary").secret_access_key.startswith("wJalr")  # kept


def test_export_includes_secrets_only_when_asked(seed_file, capsys):
    call_command("import_s3_config", str(seed_file))
    call_command("export_s3_config")
    assert "wJalrXUtnFEMI" not in capsys.readouterr().out
    call_command("export_s3_config", "--include-secrets")
    assert "secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" in capsys.readouterr().out


def test_reimport_is_idempotent_and_reports_changes(seed_file, capsys):
    call_command("import_s3_config", str(seed_file))
    capsys.readouterr()
    call_command("import_s3_config", str(seed_file))
    assert "0 created, 0 updated, 2 unchanged, 0 removed" in capsys.readouterr().out
    seed_file.write_text(SEED_SAMPLE.replace('default: "primary"', 'default: "backup"')
                         .replace("minio.example.com:9000", "minio.example.com:9001"))
    call_command("import_s3_config", str(seed_file))
    out = capsys.readouterr().out
    assert "updated   backup (endpoint)" in out and "default changes" in out
    assert Connection.objects.get(is_default=True).name == "backup"


def test_prune_removes_connections_missing_from_the_file(seed_file, tmp_path):
    call_command("import_s3_config", str(seed_file))
    Connection.objects.create(name="stray", bucket="x")
    call_command("import_s3_config", str(seed_file))
    assert Connection.objects.filter(name="stray").exists()
    call_command("import_s3_config", str(seed_file), "--prune")
    assert sorted(Connection.objects.values_list("name", flat=True)) == ["backup", "primary"]


def test_a_bad_file_imports_nothing(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""\
        default: good
        connections:
          - name: good
            bucketName: b
          - name: "bad name!"
            bucketName: b
    """))
    with pytest.raises(CommandError, match=r"bad.yaml:5: key 'name' of connection 'bad name!'"):
        call_command("import_s3_config", str(path))
    assert not Connection.objects.exists()


def test_a_missing_bucket_is_named(tmp_path):
    path = tmp_path / "s3.yaml"
    path.write_text("connections:\n  - name: a\n    region: us-east-1\n")
    with pytest.raises(CommandError, match=r"s3.yaml:2: key 'bucketName' is missing"):
        call_command("import_s3_config", str(path))


def test_the_default_must_be_enabled(tmp_path):
    path = tmp_path / "s3.yaml"
    path.write_text("default: a\nconnections:\n  - name: a\n    bucketName: b\n    enabled: false\n")
    with pytest.raises(CommandError, match="default connection 'a' must be enabled"):
        call_command("import_s3_config", str(path))


def test_startup_imports_s3_config_when_set(seed_file, settings):
    from storage.config.startup import import_configured_connections

    settings.S3_CONFIG = str(seed_file)
    import_configured_connections()
    assert Connection.objects.count() == 2


def test_an_import_refuses_to_change_what_the_startup_file_manages(seed_file, tmp_path, settings):
    from storage.config.startup import load_at_startup

    settings.S3_CONFIG = str(seed_file)
    load_at_startup(str(seed_file), environ={})
    call_command("import_s3_config", str(seed_file))  # the same values: nothing to undo, fine
    changed = tmp_path / "changed.yaml"
    changed.write_text(SEED_SAMPLE.replace("minio.example.com:9000", "minio.example.com:9001"))
    with pytest.raises(CommandError, match=rf"changed.yaml:9: 'backup' is managed by {seed_file} \(S3_CONFIG\)"):
        call_command("import_s3_config", str(changed))
    only_primary = tmp_path / "primary.yaml"
    only_primary.write_text(SEED_SAMPLE.split("  - name: backup")[0])
    with pytest.raises(CommandError, match="pruning would remove 'backup': 'backup' is managed by"):
        call_command("import_s3_config", str(only_primary), "--prune")
    assert Connection.objects.get(name="backup").endpoint == "minio.example.com:9000"


def test_a_file_imported_by_hand_never_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SERVER_ONLY", "a-value-of-the-server")
    path = tmp_path / "s3.yaml"
    path.write_text("connections:\n  - name: a\n    bucketName: b\n    accessKeyID: ${SERVER_ONLY}\n")
    call_command("import_s3_config", str(path))
    assert Connection.objects.get(name="a").access_key_id == "${SERVER_ONLY}"


def test_an_import_cannot_move_the_default_the_startup_file_set(seed_file, tmp_path, settings):
    """Found by an attack pass: an import with another `default` moved it until the next start."""
    from storage.config.startup import load_at_startup

    settings.S3_CONFIG = str(seed_file)
    load_at_startup(str(seed_file), environ={})
    other = tmp_path / "other.yaml"
    other.write_text('default: "other"\nconnections:\n  - name: other\n    endpoint: s3.example.com\n'
                     '    bucketName: b\n')
    with pytest.raises(CommandError, match="the default would move to 'other'. The default connection comes from"):
        call_command("import_s3_config", str(other))
    assert Connection.objects.get(is_default=True).name == "primary"
