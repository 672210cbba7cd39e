"""`/s3/`: every path below it is an S3 request (console.s3api.dispatch); and the pages that issue its keys."""

from django.urls import path, re_path

from console.s3api import dispatch, views

urlpatterns = [
    re_path(r"^s3(?:/(?P<rest>[\s\S]*))?$", dispatch.endpoint, name="s3-endpoint"),
    path("settings/s3-keys/new/", views.own_key_create, name="s3key_create"),
    path("settings/s3-keys/<int:key_pk>/revoke/", views.own_key_revoke, name="s3key_revoke"),
    path("tokens/s3-keys/", views.service_key_list, name="s3key_service_list"),
    path("tokens/s3-keys/new/", views.service_key_create, name="s3key_service_create"),
    path("tokens/s3-keys/<int:key_pk>/revoke/", views.service_key_revoke, name="s3key_service_revoke"),
]
