"""The file manager: /files/<connection>/... (browse, object pages, signing endpoints for uploads)."""

from django.urls import path

from console.files.views import browse, incomplete, jobs, metadata, objects, search, uploads, versions, zip

urlpatterns = [
    path("files/", browse.index, name="files_index"),
    path("files/<str:connection>/", browse.browse, name="files_browse"),
    path("files/<str:connection>/object/", browse.detail, name="files_object"),
    path("files/<str:connection>/download/", browse.download, name="files_download"),
    path("files/<str:connection>/preview/", browse.preview, name="files_preview"),
    path("files/<str:connection>/thumbnail/", browse.thumbnail, name="files_thumbnail"),
    path("files/<str:connection>/zip/entries/", zip.entries, name="files_zip_entries"),
    path("files/<str:connection>/search/", search.search, name="files_search"),
    path("files/<str:connection>/search/stream/", search.stream, name="files_search_stream"),
    path("files/<str:connection>/delete/", objects.delete_one, name="files_delete"),
    path("files/<str:connection>/new-folder/", objects.new_folder, name="files_new_folder"),
    # Background jobs: deleting a selection or a folder, copy and move (a rename is a move), folder size.
    path("files/<str:connection>/delete-selected/", jobs.delete_selected, name="files_delete_selected"),
    path("files/<str:connection>/delete-folder/", jobs.delete_folder, name="files_delete_folder"),
    path("files/<str:connection>/copy-move/", jobs.transfer, name="files_transfer"),
    path("files/<str:connection>/rename/", jobs.transfer, {"op": "move"}, name="files_rename"),
    path("files/<str:connection>/folder-size/", jobs.folder_size, name="files_folder_size"),
    path("files/<str:connection>/incomplete/", incomplete.incomplete, name="files_incomplete"),
    path("files/<str:connection>/incomplete/abort/", incomplete.abort, name="files_incomplete_abort"),
    path("files/<str:connection>/incomplete/abort-old/", incomplete.abort_old, name="files_incomplete_abort_old"),
    # Versions, deleted files, metadata and tags (#17).
    path("files/<str:connection>/versions/", versions.versions, name="files_versions"),
    path("files/<str:connection>/versions/download/", versions.version_download, name="files_version_download"),
    path("files/<str:connection>/versions/preview/", versions.version_preview, name="files_version_preview"),
    path("files/<str:connection>/versions/restore/", versions.restore, name="files_version_restore"),
    path("files/<str:connection>/versions/delete/", versions.delete_version, name="files_version_delete"),
    path("files/<str:connection>/deleted/", versions.deleted, name="files_deleted"),
    path("files/<str:connection>/deleted/recover/", versions.recover, name="files_recover"),
    path("files/<str:connection>/metadata/", metadata.edit, name="files_metadata"),
    # Uppy's AWS S3 callbacks, at Companion-like paths (POST + CSRF; listing parts is a GET).
    path("files/<str:connection>/s3/params", uploads.params, name="files_s3_params"),
    path("files/<str:connection>/s3/ping", uploads.ping, name="files_s3_ping"),
    path("files/<str:connection>/s3/multipart", uploads.create_multipart, name="files_s3_multipart"),
    path("files/<str:connection>/s3/multipart/<str:upload_id>", uploads.multipart, name="files_s3_upload"),
    path("files/<str:connection>/s3/multipart/<str:upload_id>/complete", uploads.complete,
         name="files_s3_complete"),
    path("files/<str:connection>/s3/multipart/<str:upload_id>/batch", uploads.sign_parts,
         name="files_s3_sign_parts"),
    path("files/<str:connection>/s3/multipart/<str:upload_id>/<int:part_number>", uploads.sign_part,
         name="files_s3_sign_part"),
    path("files/<str:connection>/s3/uploaded", uploads.uploaded, name="files_s3_uploaded"),
    path("files/<str:connection>/s3/instant", uploads.instant_copy, name="files_s3_instant"),
    path("files/<str:connection>/s3/exists", uploads.exists, name="files_s3_exists"),
    path("files/<str:connection>/s3/cors", uploads.cors_status, name="files_s3_cors"),
]
