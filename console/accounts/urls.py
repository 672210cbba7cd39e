"""Sign-in and out, set-password links, users and their roles."""

from django.contrib.auth import views as auth_views
from django.urls import path

from console.accounts.views import auth, users

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/set-password/<uidb64>/<token>/", auth.set_password, name="set_password"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/role/", users.user_role, name="user_role"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/set-password-link/", users.user_link, name="user_link"),
]
