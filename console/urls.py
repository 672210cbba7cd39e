"""The root URL conf: the project's own pages, then each app's urls.py, then the protocol API."""

from django.contrib import admin
from django.urls import include, path

from console.views import favicon, health, home

urlpatterns = [
    path("", home.index, name="home"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("", include("console.accounts.urls")),
    path("", include("console.connections.urls")),
    path("", include("console.teams.urls")),
    path("", include("console.adminpages.urls")),
    path("", include("console.files.urls")),
    path("", include("console.shares.urls")),
    path("", include("console.jobs.urls")),
    path("api/ossgateway/v1/", include("storage.api.urls")),
]
