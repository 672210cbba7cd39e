"""Connections (admins): list, create, edit, health, default, enabled, delete, bucket CORS."""

from django.urls import path

from console.connections.views import actions, cors, edit

urlpatterns = [
    path("connections/", edit.connection_list, name="connection_list"),
    path("connections/new/", edit.connection_create, name="connection_create"),
    path("connections/<str:name>/edit/", edit.connection_edit, name="connection_edit"),
    path("connections/<str:name>/health/", actions.connection_health, name="connection_health"),
    path("connections/<str:name>/default/", actions.connection_default, name="connection_default"),
    path("connections/<str:name>/enabled/", actions.connection_enabled, name="connection_enabled"),
    path("connections/<str:name>/delete/", actions.connection_delete, name="connection_delete"),
    path("connections/<str:name>/cors/", cors.connection_cors, name="connection_cors"),
]
