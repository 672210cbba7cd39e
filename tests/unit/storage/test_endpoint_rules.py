"""Endpoint rules against SSRF: which endpoints a connection (or an s3.yaml) may point at."""

from __future__ import annotations

import socket

import pytest

from storage.config import s3yaml
from storage.config import sync as config_sync
from storage.config.s3yaml import S3ConfigError
from storage.endpoint_rules import EndpointRefused, check_endpoint, connection_endpoint_errors

# endpoint -> accepted with ALLOW_PRIVATE_ENDPOINTS off, accepted with it on
TABLE = [
    ("", True, True),  # empty = AWS
    ("s3.amazonaws.com", True, True),
    ("https://s3.eu-west-1.amazonaws.com", True, True),
    ("http://8.8.8.8:9000", True, True),
    ("8.8.8.8:9000", True, True),
    ("https://s3.example.com:443/prefix", True, True),
    ("127.0.0.1:8333", False, True),
    ("http://localhost:9000", False, True),
    ("http://10.1.2.3", False, True),
    ("http://192.168.1.10:9000", False, True),
    ("http://172.16.5.4", False, True),
    ("http://[::1]:9000", False, True),
    ("http://[fd12:3456::1]", False, True),
    ("http://100.64.0.7", False, True),
    # link-local and metadata: never
    ("http://169.254.169.254", False, False),
    ("169.254.169.254", False, False),
    ("http://169.254.170.2/v2/credentials", False, False),
    ("http://[fd00:ec2::254]", False, False),
    ("http://[::ffff:169.254.169.254]", False, False),
    ("http://[::ffff:a9fe:a9fe]", False, False),
    ("http://[64:ff9b::a9fe:a9fe]", False, False),
    ("http://[2002:a9fe:a9fe::1]", False, False),
    ("http://[fe80::1]", False, False),
    ("http://[fe80::1%25eth0]:80", False, False),
    ("http://0.0.0.0:9000", False, False),
    ("http://[::]:9000", False, False),
    ("http://2852039166", False, False),  # 169.254.169.254 as one number
    ("http://0xa9.0xfe.0xa9.0xfe", False, False),
    ("http://100.100.100.200", False, False),  # Alibaba Cloud metadata
    ("http://metadata.example", False, False),  # resolves to 169.254.169.254 (see fake DNS)
    ("http://mixed.example", False, False),  # one good and one metadata address
    ("http://internal.example", False, True),  # resolves to 10.0.0.5
    ("http://public.example", True, True),
    ("http://unresolvable.example", True, True),  # nothing to reach; the Test button says so
    # the URL's shape
    ("ftp://s3.example.com", False, False),
    ("file:///etc/passwd", False, False),
    ("gopher://s3.example.com", False, False),
    ("http://user:pass@s3.example.com", False, False),
    ("http://user@s3.example.com", False, False),
    ("http://s3.example.com/?x=1", False, False),
    ("http://s3.example.com#frag", False, False),
    ("http://s3.example.com:99999", False, False),
    ("http://s3.example.com:0", False, False),
    ("http://s3.example.com:abc", False, False),
    ("http://", False, False),
    ("http://s3 example.com", False, False),
]

FAKE_DNS = {
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.216.34", "169.254.169.254"],
    "internal.example": ["10.0.0.5"],
    "public.example": ["93.184.216.34", "2606:2800:220:1::1"],
    "s3.amazonaws.com": ["52.216.1.1"],
    "s3.eu-west-1.amazonaws.com": ["52.218.1.1"],
    "s3.example.com": ["93.184.216.35"],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    """Names resolve from FAKE_DNS only: no test depends on, or leaks to, real DNS."""
    looked_up = []

    def getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        if host not in FAKE_DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
                for a in FAKE_DNS[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


def _accepted(endpoint: str, allow_private: bool) -> bool:
    try:
        check_endpoint(endpoint, allow_private=allow_private)
    except EndpointRefused:
        return False
    return True


@pytest.mark.parametrize(("endpoint", "in_production", "in_development"), TABLE, ids=[t[0] or "empty" for t in TABLE])
def test_it_accepts_and_refuses_endpoints_as_specified(endpoint, in_production, in_development):
    assert _accepted(endpoint, allow_private=False) is in_production
    assert _accepted(endpoint, allow_private=True) is in_development


def test_it_follows_the_setting_when_not_told(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    with pytest.raises(EndpointRefused, match="ALLOW_PRIVATE_ENDPOINTS"):
        check_endpoint("127.0.0.1:9000")
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    check_endpoint("127.0.0.1:9000")


def test_it_names_the_address_a_name_resolves_to(fake_dns):
    with pytest.raises(EndpointRefused, match=r"'metadata.example' resolves to 169\.254\.169\.254"):
        check_endpoint("https://metadata.example", allow_private=True)
    assert fake_dns == ["metadata.example"]


def test_it_does_not_resolve_ip_literals(fake_dns):
    check_endpoint("http://8.8.8.8", allow_private=False)
    assert fake_dns == []


def test_it_says_why_in_plain_words():
    with pytest.raises(EndpointRefused, match="Only http and https"):
        check_endpoint("ftp://s3.example.com")
    with pytest.raises(EndpointRefused, match="user name or password"):
        check_endpoint("https://a:b@s3.example.com")
    with pytest.raises(EndpointRefused, match="link-local, metadata"):
        check_endpoint("http://[::ffff:169.254.169.254]", allow_private=True)
    with pytest.raises(EndpointRefused, match=r"\(that is 169\.254\.169\.254\)"):
        check_endpoint("http://[::ffff:a9fe:a9fe]", allow_private=True)


def test_it_lets_public_endpoints_be_private_but_never_metadata(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    assert connection_endpoint_errors("s3.example.com", "http://10.0.0.9:9000") == {}
    errors = connection_endpoint_errors("http://10.0.0.9", "http://169.254.169.254")
    assert set(errors) == {"endpoint", "public_endpoint"}


@pytest.mark.django_db
def test_it_refuses_a_bad_endpoint_in_an_s3_yaml_naming_the_line(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    text = ("default: good\nconnections:\n  - name: good\n    endpoint: s3.example.com\n    bucketName: b1\n"
            "  - name: evil\n    endpoint: http://169.254.169.254\n    bucketName: b2\n")
    with pytest.raises(S3ConfigError, match=r"^s3\.yaml:6: key 'endpoint' of connection 'evil': .*metadata"):
        config_sync.plan_import(s3yaml.parse(text))
    text = text.replace("http://169.254.169.254", "http://10.0.0.1")
    with pytest.raises(S3ConfigError, match=r"s3\.yaml:6: .*ALLOW_PRIVATE_ENDPOINTS"):
        config_sync.plan_import(s3yaml.parse(text))
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    assert [c.name for c in config_sync.plan_import(s3yaml.parse(text)).created] == ["good", "evil"]



# --- virtual-host addressing: the host contacted is <bucket>.<endpoint host> (issue #11, item 7) ---

FAKE_DNS["photos.s3.example.com"] = ["93.184.216.36"]

# (bucket, endpoint, addressing style) -> the bucket is refused
VIRTUAL_TABLE = [
    ("169", "http://254.169.254", "virtual", True),  # joins into 169.254.169.254
    ("169.254", "http://169.254", "virtual", True),
    ("0xa9", "http://0xfe.0xa9.0xfe", "virtual", True),  # a legacy IPv4 form of the same
    ("10", "http://1.0.1", "virtual", True),  # any IP address a bucket spells out (10.1.0.1), not just metadata
    ("metadata", "http://google.internal", "virtual", True),  # metadata.google.internal, by name
    ("metadata", "http://example", "virtual", True),  # metadata.example resolves to 169.254.169.254
    ("photos", "https://s3.example.com", "virtual", False),
    ("photos", "http://10.0.0.5:9000", "virtual", False),  # an IP endpoint: botocore uses path addressing
    ("169", "http://254.169.254", "path", False),
    ("169", "http://254.169.254", "auto", False),  # auto means path for a custom endpoint
    ("169", "", "virtual", False),  # AWS: the host is <bucket>.s3.amazonaws.com
]


@pytest.mark.parametrize(("bucket", "endpoint", "style", "refused"), VIRTUAL_TABLE,
                         ids=[f"{b}@{e or 'aws'}-{s}" for b, e, s, _ in VIRTUAL_TABLE])
def test_it_checks_the_host_virtual_host_addressing_contacts(bucket, endpoint, style, refused, settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    errors = connection_endpoint_errors(endpoint, use_ssl=False, bucket=bucket, addressing_style=style)
    assert ("bucket" in errors) is refused, errors
    assert "endpoint" not in errors


def test_it_says_which_host_a_bucket_would_make_in_plain_words(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    errors = connection_endpoint_errors("http://254.169.254", bucket="169", addressing_style="virtual")
    assert "'169.254.169.254'" in errors["bucket"] and "IP address" in errors["bucket"]
    assert "path addressing" in errors["bucket"]
    errors = connection_endpoint_errors("http://example", bucket="metadata", addressing_style="virtual")
    assert "'metadata.example' (the bucket 'metadata' joined to the endpoint" in errors["bucket"]
    assert "resolves to 169.254.169.254" in errors["bucket"]


def test_it_checks_the_joined_host_of_the_public_endpoint_too(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    errors = connection_endpoint_errors("https://s3.example.com", "http://254.169.254", bucket="169",
                                        addressing_style="virtual")
    assert set(errors) == {"bucket"}


@pytest.mark.django_db
def test_the_connection_form_refuses_a_bucket_that_makes_a_metadata_address(settings):
    from console.connections.forms import ConnectionForm

    settings.ALLOW_PRIVATE_ENDPOINTS = True
    data = {"name": "evil", "endpoint": "http://254.169.254", "public_endpoint": "", "region": "us-east-1",
            "bucket": "169", "access_key_id": "AK", "secret_access_key": "SK", "addressing_style": "virtual",
            "enabled": "on", "max_upload_size": "1000"}
    form = ConnectionForm(data=data)
    assert not form.is_valid()
    assert "169.254.169.254" in form.errors["bucket"][0]
    assert ConnectionForm(data={**data, "addressing_style": "path"}).is_valid()


@pytest.mark.django_db
def test_the_admin_form_refuses_it_too(settings):
    from storage.admin import ConnectionAdminForm

    settings.ALLOW_PRIVATE_ENDPOINTS = True
    form = ConnectionAdminForm(data={"name": "evil", "endpoint": "http://254.169.254", "region": "us-east-1",
                                     "bucket": "169", "addressing_style": "virtual", "max_upload_size": "1000"})
    assert not form.is_valid()
    assert "169.254.169.254" in form.errors["bucket"][0]


@pytest.mark.django_db
def test_an_s3_yaml_with_such_a_bucket_is_refused_naming_the_key(settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    text = ("connections:\n  - name: evil\n    endpoint: http://254.169.254\n    bucketName: '169'\n"
            "    addressingStyle: virtual\n")
    with pytest.raises(S3ConfigError, match=r"^s3\.yaml:2: key 'bucketName' of connection 'evil': .*169\.254\.169\.254"):
        config_sync.plan_import(s3yaml.parse(text))


def _slipped_through(**overrides):
    """A gateway over a record no form checked (written to the database directly, or by an older version)."""
    from storage.connections import ConnectionSpec, StaticRegistry
    from storage.s3.gateway import S3Gateway

    values = dict(name="evil", bucket="169", endpoint="http://254.169.254", addressing_style="virtual", use_ssl=False,
                  access_key_id="AKIDEXAMPLE", secret_access_key="secret", is_default=True)
    values.update(overrides)
    return S3Gateway(StaticRegistry([ConnectionSpec(**values)]))


@pytest.mark.parametrize("internal", [True, False])
def test_the_s3_gateway_refuses_to_sign_for_a_host_a_bucket_spells_out(internal):
    from storage.gateway import AccessDenied

    gateway = _slipped_through()
    with pytest.raises(AccessDenied, match=r"'169\.254\.169\.254'.*IP address"):
        gateway.get_download_url("evil", "latest/meta-data/iam", internal=internal)
    with pytest.raises(AccessDenied, match=r"169\.254\.169\.254"):
        gateway.get_upload_request("evil", "a.txt", internal=internal)


def test_the_s3_gateway_never_sends_a_request_there():
    from storage.gateway import AccessDenied

    gateway = _slipped_through()
    client = gateway.clients.get(gateway.registry.get("evil"), "internal")
    sent = []

    def before_send(request, **_kwargs):
        sent.append(request.url)
        raise ConnectionRefusedError("a test stands in for the network")

    client.meta.events.register("before-send.s3", before_send)
    with pytest.raises(AccessDenied, match="will not contact storage for 'evil'"):
        gateway.get_object_meta("evil", "latest/meta-data/iam")
    assert sent == []


def test_the_s3_gateway_refuses_a_metadata_endpoint_that_slipped_through():
    from storage.gateway import AccessDenied

    gateway = _slipped_through(endpoint="http://169.254.169.254", bucket="b1", addressing_style="path")
    with pytest.raises(AccessDenied, match="link-local, metadata"):
        gateway.get_download_url("evil", "a.txt")


def test_the_s3_gateway_still_signs_for_a_good_virtual_host():
    gateway = _slipped_through(endpoint="https://s3.example.com", bucket="photos", use_ssl=True)
    assert gateway.get_download_url("evil", "a.txt").startswith("https://photos.s3.example.com/a.txt?")
