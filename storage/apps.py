from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class StorageConfig(AppConfig):
    name = "storage"
    verbose_name = gettext_lazy("Object storage")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from storage import record_cache
        from storage.models import Connection, EditionSettings

        for model in (Connection, EditionSettings):
            for signal in (post_save, post_delete):
                signal.connect(record_cache.forget, sender=model, weak=False,
                               dispatch_uid=f"record-cache-{model.__name__}-{signal is post_save}")
