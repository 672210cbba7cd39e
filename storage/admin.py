from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from storage.endpoint_rules import connection_endpoint_errors
from storage.models import Connection, EditionSettings


class ConnectionAdminForm(forms.ModelForm):
    secret_access_key = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Write-only: leave blank to keep the stored secret."),
    )

    class Meta:
        model = Connection
        # S3 connections only: local folders and groups are made on the console's own pages, which check them.
        exclude = ["kind", "local_root", "members", "placement"]

    def clean(self):
        data = super().clean()
        errors = connection_endpoint_errors(data.get("endpoint", ""), data.get("public_endpoint", ""),
                                            use_ssl=data.get("use_ssl", True), bucket=data.get("bucket", ""),
                                            addressing_style=data.get("addressing_style", "auto"))
        for field_name, message in errors.items():
            self.add_error(field_name, message)
        return data

    def clean_secret_access_key(self):
        value = self.cleaned_data.get("secret_access_key")
        if not value and self.instance.pk:
            return self.instance.secret_access_key
        return value


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionAdminForm
    list_display = ("name", "endpoint", "bucket", "is_default", "enabled", "updated_at")
    list_filter = ("enabled", "is_default")
    search_fields = ("name", "endpoint", "bucket")

    # A connection the start-up file manages is shown, never changed here (the console pages say why).
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_managed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_managed)


@admin.register(EditionSettings)
class EditionSettingsAdmin(admin.ModelAdmin):
    list_display = ("edition", "storage_backend", "ossgateway_url", "updated_at")
