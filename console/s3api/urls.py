"""`/s3/`: every path below it is an S3 request (console.s3api.dispatch)."""

from django.urls import re_path

from console.s3api import dispatch

urlpatterns = [re_path(r"^s3(?:/(?P<rest>[\s\S]*))?$", dispatch.endpoint, name="s3-endpoint")]
