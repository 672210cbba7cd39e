"""The admin console: connections, edition, users, s3.yaml import/export, audit log."""

from django.urls import path

from console.views import (
    audit,
    auth,
    config_io,
    connection_actions,
    connection_cors,
    connections,
    edition,
    users,
)

urlpatterns = [
    path("accounts/set-password/<uidb64>/<token>/", auth.set_password, name="set_password"),
    path("connections/", connections.connection_list, name="connection_list"),
    path("connections/new/", connections.connection_create, name="connection_create"),
    path("connections/<str:name>/edit/", connections.connection_edit, name="connection_edit"),
    path("connections/<str:name>/health/", connection_actions.connection_health, name="connection_health"),
    path("connections/<str:name>/default/", connection_actions.connection_default, name="connection_default"),
    path("connections/<str:name>/enabled/", connection_actions.connection_enabled, name="connection_enabled"),
    path("connections/<str:name>/delete/", connection_actions.connection_delete, name="connection_delete"),
    path("connections/<str:name>/cors/", connection_cors.connection_cors, name="connection_cors"),
    path("edition/", edition.edition, name="edition"),
    path("edition/test-manager/", edition.edition_test_manager, name="edition_test_manager"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/role/", users.user_role, name="user_role"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/set-password-link/", users.user_link, name="user_link"),
    path("config/", config_io.config_page, name="config_io"),
    path("config/import/", config_io.config_import, name="config_import"),
    path("config/import/apply/", config_io.config_import_apply, name="config_import_apply"),
    path("config/export/", config_io.config_export, name="config_export"),
    path("audit/", audit.audit_log, name="audit_log"),
]
