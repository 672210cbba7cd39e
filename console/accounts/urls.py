"""Sign-in and out (password, single sign-on, break-glass), set-password links, users and their roles."""

from django.urls import path

from console.accounts.oidc import views as oidc
from console.accounts.views import auth, break_glass, users

urlpatterns = [
    path("accounts/login/", auth.sign_in, name="login"),
    path("accounts/logout/", auth.sign_out, name="logout"),
    path("accounts/break-glass/", break_glass.sign_in, name="break_glass"),
    # The names mozilla-django-oidc reverses; the provider must allow <console>/oidc/callback/ as a redirect URI.
    path("oidc/authenticate/", oidc.start, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("accounts/set-password/<uidb64>/<token>/", auth.set_password, name="set_password"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/role/", users.user_role, name="user_role"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/set-password-link/", users.user_link, name="user_link"),
]
