"""Job pages: /jobs/<id>/ (state and counts, refreshed) and its actions."""

from django.urls import path

from console.jobs import views

urlpatterns = [
    path("jobs/<int:job_id>/", views.detail, name="job_detail"),
    path("jobs/<int:job_id>/cancel/", views.cancel, name="job_cancel"),
]
