import pytest
from django.core.exceptions import ImproperlyConfigured

from console.env import env_bool, env_choice, env_int, env_list, env_url


def test_booleans_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="FLAG='perhaps' is not a boolean"):
        env_bool("FLAG")


def test_numbers_lists_choices_and_urls(monkeypatch):
    monkeypatch.setenv("N", "x")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("L", "a, b,,c")
    assert env_list("L") == ["a", "b", "c"]
    monkeypatch.setenv("E", "enterprise")
    with pytest.raises(ImproperlyConfigured, match="must be one of: community, commercial"):
        env_choice("E", ("community", "commercial"))
    monkeypatch.setenv("U", "ftp://x")
    with pytest.raises(ImproperlyConfigured, match="must start with http"):
        env_url("U")


def test_production_mode_needs_a_secret_key(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "console.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr
    env["DEBUG"] = "true"
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dev-secret-key").exists()


def test_pairs_for_mappings(monkeypatch):
    from console.env import env_map

    monkeypatch.setenv("M", "corp-admins=admin, readers = viewer,readers=team-a")
    assert env_map("M") == {"corp-admins": ["admin"], "readers": ["viewer", "team-a"]}
    for nonsense in ("admin", "=admin", "a=", "a=b=c"):
        monkeypatch.setenv("M", nonsense)
        with pytest.raises(ImproperlyConfigured, match="must be one name=name pair"):
            env_map("M")


def test_provider_groups_join_console_groups_only_through_the_map_unless_asked(tmp_path):
    """Groups carry grants: someone who can make a group at the provider must not join one here by its name."""
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "console.settings"}
    show = "import django; django.setup(); from django.conf import settings; print(settings.OIDC_GROUPS_BY_NAME)"
    assert subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True).stdout == "False\n"
    env["OIDC_GROUPS_BY_NAME"] = "true"
    assert subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True).stdout == "True\n"
