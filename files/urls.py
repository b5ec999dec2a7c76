from django.urls import path

from files.views import files, local_storage

app_name = "files"

org = "orgs/<str:org_id>/"

urlpatterns = [
    path(f"{org}files/", files.org_files, name="org-files"),
    path(f"{org}wells/<str:well_id>/files/", files.well_files, name="well-files"),
    path(f"{org}files/<str:file_id>/", files.file_detail, name="file-detail"),
    path(f"{org}files/<str:file_id>/tags/", files.file_tags, name="file-tags"),
    path(f"{org}files/<str:file_id>/delete/", files.file_delete, name="file-delete"),
    path(f"{org}files/<str:file_id>/download/", files.file_download, name="file-download"),
    # Local storage only: the targets of the signed upload ticket and download URL.
    path("files/upload/<str:token>/", local_storage.local_upload, name="local-upload"),
    path("files/download/<str:token>/", local_storage.local_download, name="local-download"),
]
