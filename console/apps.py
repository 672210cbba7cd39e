from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "Console"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from console.csp import forget_origins
        from storage.models import Connection

        def connections_changed(**kwargs):
            forget_origins()  # a new or moved endpoint is allowed on the next page

        post_save.connect(connections_changed, sender=Connection, weak=False, dispatch_uid="csp-origins-save")
        post_delete.connect(connections_changed, sender=Connection, weak=False, dispatch_uid="csp-origins-delete")
