"""Connections (admins): list, create, edit, health, default, enabled, delete, bucket CORS; the bucket (managers)."""

from django.urls import path

from console.connections.views import actions, bucket, bucket_changes, bucket_create, cors, edit, groups

urlpatterns = [
    path("connections/", edit.connection_list, name="connection_list"),
    path("connections/new/", edit.connection_create, name="connection_create"),
    path("connections/<str:name>/edit/", edit.connection_edit, name="connection_edit"),
    path("connections/groups/new/", groups.group_create, name="connection_group_create"),
    path("connections/groups/<str:name>/edit/", groups.group_edit, name="connection_group_edit"),
    path("connections/<str:name>/health/", actions.connection_health, name="connection_health"),
    path("connections/<str:name>/default/", actions.connection_default, name="connection_default"),
    path("connections/<str:name>/enabled/", actions.connection_enabled, name="connection_enabled"),
    path("connections/<str:name>/delete/", actions.connection_delete, name="connection_delete"),
    path("connections/<str:name>/cors/", cors.connection_cors, name="connection_cors"),
    # The connection's bucket (#17): create it, its settings, its usage.
    path("connections/<str:name>/bucket/", bucket.connection_bucket, name="connection_bucket"),
    path("connections/<str:name>/bucket/create/", bucket_create.bucket_create, name="connection_bucket_create"),
    path("connections/<str:name>/bucket/usage/", bucket.bucket_usage, name="connection_bucket_usage"),
    path("connections/<str:name>/bucket/versioning/", bucket_changes.bucket_versioning, name="connection_bucket_versioning"),
    path("connections/<str:name>/bucket/lifecycle/", bucket_changes.bucket_lifecycle, name="connection_bucket_lifecycle"),
    path("connections/<str:name>/bucket/policy/", bucket_changes.bucket_policy_edit, name="connection_bucket_policy"),
    path("connections/<str:name>/bucket/public/", bucket_changes.bucket_public_prefix, name="connection_bucket_public"),
    path("connections/<str:name>/bucket/lock/", bucket_changes.bucket_lock, name="connection_bucket_lock"),
]
