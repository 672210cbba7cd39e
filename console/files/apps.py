from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FilesConfig(AppConfig):
    name = "console.files"
    label = "files"
    verbose_name = gettext_lazy("Files")
