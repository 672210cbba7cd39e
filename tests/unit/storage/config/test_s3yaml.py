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
