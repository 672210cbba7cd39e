"""The provider's endpoints (under /o/), its login page, and the control API."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.oidc_provider import control

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("control/person/", control.person),
    path("control/client/", control.client),
    path("control/fault/", control.fault),
]
