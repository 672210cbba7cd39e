import textwrap

import pytest

from storage.config import s3yaml
from storage.config.s3yaml import S3ConfigError
from storage.connections import ConnectionSpec

SEED_SAMPLE = textwrap.dedent("""\
    default: "primary"
    connections:
      - name: primary
        endpoint: s3.amazonaws.com
        region: us-east-1
        accessKeyID: "AKIAIOSFODNN7EXAMPLE"
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        bucketName: "dataflow-primary"
      - name: backup
        endpoint: minio.example.com:9000
        region: us-east-1
        accessKeyID: "minioadmin"
        secretAccessKey: "minioadmin"
        bucketName: "dataflow-backup"
""")


def test_it_reads_the_seed_sample():
    config = s3yaml.parse(SEED_SAMPLE)
    assert config.default == "primary"
    assert [c.name for c in config.connections] == ["primary", "backup"]
    assert config.connections[1].values == {
        "name": "backup", "endpoint": "minio.example.com:9000", "region": "us-east-1",
        "access_key_id": "minioadmin", "secret_access_key": "minioadmin", "bucket": "dataflow-backup",
    }


def test_it_reads_the_optional_keys():
    config = s3yaml.parse(textwrap.dedent("""\
        default: a
        connections:
          - name: a
            bucketName: b
            publicEndpoint: https://files.example.com
            addressingStyle: virtual
            useSSL: false
            verifySSL: no
            enabled: true
    """))
    values = config.connections[0].values
    assert values["public_endpoint"] == "https://files.example.com"
    assert values["addressing_style"] == "virtual"
    assert values["use_ssl"] is False and values["verify_ssl"] is False and values["enabled"] is True


@pytest.mark.parametrize(("text", "message"), [
    ("default: a\nconnections:\n  - name: a\n    bucketName: b\n    colour: red\n",
     "s3.yaml:5: unknown key 'colour'"),
    ("default: a\nextra: 1\nconnections: []\n", "s3.yaml:2: unknown key 'extra'"),
    ("connections:\n  - endpoint: x\n    bucketName: b\n", "s3.yaml:2: key 'name' is missing"),
    ("default: a\ndefault: b\nconnections:\n  - name: a\n", "s3.yaml:2: key 'default' appears twice"),
    ("default: zzz\nconnections:\n  - name: a\n", "s3.yaml:1: key 'default' names 'zzz'"),
    ("connections:\n  - name: a\n  - name: a\n", "s3.yaml:3: key 'name': 'a' is defined twice"),
    ("connections: [\n", "s3.yaml:2: not valid YAML"),
    ("connections:\n  - name: a\n    useSSL: maybe\n", "s3.yaml:3: key 'useSSL' must be true or false"),
    ("", "the file is empty"),
    ("connections: {a: 1}\n", "s3.yaml:1: key 'connections' must be a list"),
    ("? [a, b]\n: 1\nconnections: []\n", "s3.yaml:1: the top level has a key that is not a name"),
    ("connections:\n  - name: a\n    ? {x: 1}\n    : 2\n", "s3.yaml:3: a connection has a key that is not a name"),
])
def test_it_names_the_line_and_key_of_every_problem(text, message):
    with pytest.raises(S3ConfigError) as raised:
        s3yaml.parse(text)
    assert message in str(raised.value)


def test_it_writes_the_seed_format_without_secrets_by_default():
    specs = [ConnectionSpec(name="primary", bucket="b1", endpoint="s3.amazonaws.com", access_key_id="AK",
                            secret_access_key="very-secret", is_default=True)]
    text = s3yaml.dump("primary", specs)
    assert "very-secret" not in text and "secretAccessKey" not in text
    assert s3yaml.parse(text).connections[0].values["bucket"] == "b1"
    assert "secretAccessKey: very-secret" in s3yaml.dump("primary", specs, include_secrets=True)


# --- the start-up reading: lenient, and ${NAME} from the environment ---

THREE = textwrap.dedent("""\
    default: a
    connections:
      - name: a
        bucketName: b
      - name: "bad name!"
        bucketName: b
        useSSL: perhaps
      - name: a
        bucketName: again
      - name: c
        bucketName: b
""")


def test_a_strict_parse_stops_at_the_first_broken_connection():
    with pytest.raises(S3ConfigError, match=r"s3.yaml:7: key 'useSSL' must be true or false"):
        s3yaml.parse(THREE)


def test_a_lenient_parse_sets_broken_connections_aside_with_line_and_reason():
    config = s3yaml.parse(THREE, lenient=True)
    assert [c.name for c in config.connections] == ["a", "c"]
    assert config.default == "a"
    assert [(r.line, r.name) for r in config.rejected] == [(5, "bad name!"), (8, "a")]
    assert "s3.yaml:7: key 'useSSL' must be true or false (got 'perhaps')" in config.rejected[0].reason
    assert "s3.yaml:8: key 'name': 'a' is defined twice (first on line 3)" in config.rejected[1].reason


def test_a_lenient_parse_still_refuses_a_broken_file():
    with pytest.raises(S3ConfigError, match="not valid YAML"):
        s3yaml.parse("connections: [\n", lenient=True)
    with pytest.raises(S3ConfigError, match="the top level must be a mapping"):
        s3yaml.parse("- just\n- a list\n", lenient=True)


def test_a_lenient_parse_reports_a_default_that_was_skipped():
    config = s3yaml.parse("default: x\nconnections:\n  - name: x\n    colour: red\n  - name: y\n    bucketName: b\n",
                          lenient=True)
    assert config.default is None and [c.name for c in config.connections] == ["y"]
    assert config.default_problem == "s3.yaml:1: key 'default' names 'x', which was skipped"


def test_it_replaces_references_from_the_environment_only_when_asked():
    text = ("connections:\n  - name: a\n    bucketName: b\n    endpoint: https://${HOST}:9000\n"
            "    secretAccessKey: ${A_SECRET}\n    accessKeyID: $${LITERAL}\n")
    environ = {"HOST": "minio.internal", "A_SECRET": "s3cr3t-from-a-kubernetes-secret"}
    values = s3yaml.parse(text, environ=environ).connections[0].values
    assert values["endpoint"] == "https://minio.internal:9000"
    assert values["secret_access_key"] == "s3cr3t-from-a-kubernetes-secret"
    assert values["access_key_id"] == "${LITERAL}"
    assert s3yaml.parse(text).connections[0].values["secret_access_key"] == "${A_SECRET}"


def test_an_unset_variable_names_the_variable_and_key_never_a_value():
    text = "connections:\n  - name: a\n    bucketName: b\n    secretAccessKey: ${MISSING_SECRET}\n"
    config = s3yaml.parse(text, lenient=True, environ={"OTHER": "value-that-must-not-show"})
    assert config.connections == []
    assert config.rejected[0].reason == ("s3.yaml:4: key 'secretAccessKey': "
                                         "environment variable MISSING_SECRET is not set")


@pytest.mark.parametrize(("value", "expected"), [
    ("plain", "plain"), ("$HOME", "$HOME"), ("cost $5", "cost $5"), ("${X}${X}", "xx"), ("$${X}", "${X}"),
    ("${EMPTY}", ""),
])
def test_expand(value, expected):
    assert s3yaml.expand(value, {"X": "x", "EMPTY": ""}) == expected


def test_expand_refuses_a_reference_it_cannot_read():
    with pytest.raises(S3ConfigError, match=r"write \$\$\{ for a literal"):
        s3yaml.expand("${not a name}", {})


def test_an_empty_default_names_no_connection():
    # What an export writes when no connection is the default; reading it back must work.
    assert s3yaml.parse('default: ""\nconnections:\n  - name: a\n    bucketName: b\n').default is None


def test_a_refused_value_from_the_environment_is_shown_as_written_in_the_file():
    text = "connections:\n  - name: a\n    bucketName: b\n    useSSL: ${WRONG_VARIABLE}\n"
    config = s3yaml.parse(text, lenient=True, environ={"WRONG_VARIABLE": "a-secret-by-mistake"})
    assert config.rejected[0].reason == "s3.yaml:4: key 'useSSL' must be true or false (got '${WRONG_VARIABLE}')"
