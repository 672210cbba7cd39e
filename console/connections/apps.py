from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConnectionsConfig(AppConfig):
    name = "console.connections"
    label = "connections"
    verbose_name = gettext_lazy("Connections")
