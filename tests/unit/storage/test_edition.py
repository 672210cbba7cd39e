import pytest

from storage.edition import effective_edition
from storage.factory import gateway_for_current_settings
from storage.gateway import NotSupported
from storage.models import EditionSettings
from storage.routing import KindRouter
from storage.s3.gateway import S3Gateway

pytestmark = pytest.mark.django_db


def test_the_community_edition_uses_the_s3_gateway():
    gateway = gateway_for_current_settings()
    assert isinstance(gateway, KindRouter) and isinstance(gateway.gateways["s3"], S3Gateway)
    assert effective_edition().gateway_label == "S3 gateway"


def test_the_environment_wins_over_the_row_and_says_so(settings):
    row = EditionSettings.load()
    row.edition = "commercial"
    row.save()
    settings.EDITION = "community"
    edition = effective_edition()
    assert edition.edition == "community" and edition.locked == {"edition": "EDITION"}


def test_the_backend_override_wins_over_the_edition(settings):
    settings.EDITION = "commercial"
    settings.STORAGE_BACKEND = "s3"
    assert effective_edition().backend == "s3"


def test_commercial_without_a_manager_url_is_a_clear_error(settings):
    settings.EDITION = "commercial"
    with pytest.raises(NotSupported, match="OSS Gateway Manager URL"):
        gateway_for_current_settings()


def test_reading_the_edition_before_an_admin_saves_one_writes_nothing(django_assert_num_queries):
    """Every page and /readyz read it; a read-only probe must not insert the row."""
    with django_assert_num_queries(1):
        edition = effective_edition()
    assert edition.edition == "community" and edition.backend == "s3"
    assert not EditionSettings.objects.exists()
