from django.apps import AppConfig


class StorageAppConfig(AppConfig):
    name = "tests.storage_app"
    label = "storage_app"
    default_auto_field = "django.db.models.BigAutoField"
