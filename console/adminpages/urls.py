"""The admin pages: edition, s3.yaml import/export, service tokens, audit log."""

from django.urls import path

from console.adminpages.views import audit, config_io, edition, tokens

urlpatterns = [
    path("edition/", edition.edition, name="edition"),
    path("edition/test-manager/", edition.edition_test_manager, name="edition_test_manager"),
    path("config/", config_io.config_page, name="config_io"),
    path("config/import/", config_io.config_import, name="config_import"),
    path("config/import/apply/", config_io.config_import_apply, name="config_import_apply"),
    path("config/export/", config_io.config_export, name="config_export"),
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("audit/", audit.audit_log, name="audit_log"),
]
