"""Job pages: /jobs/ (a person's jobs), /jobs/<id>/ and its actions, and the Jobs panel of a connection."""

from django.urls import path

from console.jobs.views import job, lists

urlpatterns = [
    path("jobs/", lists.job_list, name="job_list"),
    path("jobs/panel/<str:connection>/", lists.panel, name="jobs_panel"),
    path("jobs/<int:job_id>/", job.detail, name="job_detail"),
    path("jobs/<int:job_id>/cancel/", job.cancel, name="job_cancel"),
    path("jobs/<int:job_id>/resume/", job.resume, name="job_resume"),
    path("jobs/<int:job_id>/retry/", job.retry, name="job_retry"),
]
