"""The language switcher, Your settings, and the JavaScript catalog the pages' scripts translate with."""

from django.urls import path

from console.i18n import views

urlpatterns = [
    path("language/", views.choose_language, name="choose_language"),
    path("settings/", views.your_settings, name="your_settings"),
    path("jsi18n/<str:language>/", views.javascript_catalog, name="javascript_catalog"),
]
