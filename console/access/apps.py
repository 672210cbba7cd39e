from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "console.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from console.access import signals  # noqa: F401  (connects the receivers)
