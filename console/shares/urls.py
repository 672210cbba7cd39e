"""Share links: the signed-in side (list, new, revoke) and the public pages of /s/<token>/."""

from django.urls import path

from console.shares.views import manage, public

urlpatterns = [
    path("shares/", manage.share_list, name="share_list"),
    path("shares/new/", manage.share_new, name="share_new"),
    path("shares/revoke/", manage.share_revoke, name="share_revoke"),
    path("s/<str:token>/", public.share_public, name="share_public"),
    path("s/<str:token>/download/", public.download, name="share_download"),
    path("s/<str:token>/preview/", public.preview, name="share_preview"),
    path("s/<str:token>/upload-policy/", public.upload_policy, name="share_upload_policy"),
    path("s/<str:token>/uploaded/", public.upload_done, name="share_uploaded"),
]
