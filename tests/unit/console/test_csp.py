import pytest

from storage.models import Connection

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_pages_allow_only_our_scripts_and_the_storages(as_admin):
    Connection.objects.create(name="a", endpoint="http://files.internal:9000", public_endpoint="https://s3.example.com", access_key_id="k", secret_access_key="s",
                              bucket="b", use_ssl=False)
    policy = policy_of(as_admin.get("/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    for directive in ("connect-src", "img-src", "media-src", "frame-src"):
        assert "https://s3.example.com" in policy[directive]  # browsers reach the public endpoint
        assert "http://files.internal:9000" not in policy[directive]


def test_a_changed_endpoint_is_allowed_on_the_next_page(as_admin):
    record = Connection.objects.create(name="a", endpoint="https://one.example.com", bucket="b", access_key_id="k",
                                       secret_access_key="s",
                                       addressing_style="path")
    assert "https://one.example.com" in policy_of(as_admin.get("/"))["connect-src"]
    record.endpoint = "https://two.example.com"
    record.save()
    sources = policy_of(as_admin.get("/"))["connect-src"]
    assert "https://two.example.com" in sources and "https://one.example.com" not in sources


def test_it_writes_the_directives_in_the_order_settings_give(as_admin, settings):
    """The same settings give the same header in every process, whatever its hash seed."""
    written = [part.split()[0] for part in as_admin.get("/")["Content-Security-Policy"].split("; ")]
    assert written == list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])


def test_responses_that_are_not_pages_carry_the_policy_without_storages(as_admin):
    Connection.objects.create(name="a", endpoint="https://s3.example.com", access_key_id="k", secret_access_key="s",
                              bucket="b", addressing_style="path")
    response = as_admin.get("/api/ossgateway/v1/objectstorageinfo?app=as")
    assert "https://s3.example.com" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_redirect_carries_the_policy_without_storages_and_builds_no_gateway(as_admin):
    from storage import factory

    Connection.objects.create(name="a", endpoint="https://s3.example.com", access_key_id="k", secret_access_key="s",
                              bucket="b", addressing_style="path")
    response = as_admin.post("/connections/a/default/")
    assert response.status_code == 302 and response["Content-Type"].startswith("text/html")
    assert "https://s3.example.com" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert factory._cache == {}
