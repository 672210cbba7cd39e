"""Service tokens for the OSS Gateway Manager API (admins)."""

from django.urls import path

from console.views import tokens

urlpatterns = [
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
