import pytest

from storage.admin import ConnectionAdminForm

pytestmark = pytest.mark.django_db


def form(**values):
    data = {"name": "x", "bucket": "b", "region": "us-east-1", "addressing_style": "auto", "use_ssl": True,
            "verify_ssl": True, "enabled": True, "max_upload_size": 1000, **values}
    return ConnectionAdminForm(data=data)


def test_the_django_admin_refuses_metadata_endpoints_too():
    refused = form(endpoint="http://169.254.169.254")
    assert not refused.is_valid() and "endpoint" in refused.errors
    assert form(endpoint="s3.amazonaws.com").is_valid()
