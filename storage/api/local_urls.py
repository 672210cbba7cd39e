"""The signed URLs of local folder connections, mounted at /local/ (console/urls.py)."""

from django.urls import path

from storage.api import local_views as views

urlpatterns = [
    path("<str:connection>/<path:key>", views.signed_object, name="local_object"),
]
