from django.apps import AppConfig


class SharesConfig(AppConfig):
    name = "console.shares"
    label = "shares"
    verbose_name = "Share links"
