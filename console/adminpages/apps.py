from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminPagesConfig(AppConfig):
    name = "console.adminpages"
    label = "adminpages"
    verbose_name = _("Admin pages")
