from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class S3ApiConfig(AppConfig):
    name = "console.s3api"
    label = "s3api"
    verbose_name = gettext_lazy("S3 endpoint")
    default_auto_field = "django.db.models.BigAutoField"
