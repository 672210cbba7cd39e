from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from console.views import favicon, home

urlpatterns = [
    path("", home.index, name="home"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("django-admin/", admin.site.urls),
    path("", include("console.urls_admin")),
    path("", include("console.urls_files")),
    path("", include("console.urls_shares")),
    path("", include("console.urls_tokens")),
    path("api/ossgateway/v1/", include("storage.api.urls")),
]
