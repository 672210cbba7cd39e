from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharesConfig(AppConfig):
    name = "console.shares"
    label = "shares"
    verbose_name = _("Share links")
