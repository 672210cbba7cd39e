"""The root URL conf: the project's own pages, then each app's urls.py, then the protocol API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from console.accounts.views import auth
from console.views import favicon, health, home

urlpatterns = [
    path("", home.index, name="home"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # One sign-in page (audited, LOCAL_LOGIN honoured): Django's admin sends people to it. And one
    # sign-out (audited, at the provider too): the admin's own button posts here, to ours.
    path("django-admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("django-admin/logout/", auth.sign_out),
    path("django-admin/", admin.site.urls),
    path("", include("console.i18n.urls")),
    path("", include("console.accounts.urls")),
    path("", include("console.connections.urls")),
    path("", include("console.teams.urls")),
    path("", include("console.adminpages.urls")),
    path("", include("console.files.urls")),
    path("", include("console.shares.urls")),
    path("", include("console.jobs.urls")),
    path("api/ossgateway/v1/", include("storage.api.urls")),
    path("local/", include("storage.api.local_urls")),  # signed URLs of local folder connections
    path("", include("console.s3api.urls")),  # the S3 endpoint, /s3/ (console/s3api)
]
