from django.apps import AppConfig


class AdminPagesConfig(AppConfig):
    name = "console.adminpages"
    label = "adminpages"
    verbose_name = "Admin pages"
