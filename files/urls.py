from django.urls import path

from files import upload_views, views

app_name = "files"

org = "orgs/<str:org_id>/"

urlpatterns = [
    path(f"{org}files/", views.org_files, name="org-files"),
    path(f"{org}wells/<str:well_id>/files/", views.well_files, name="well-files"),
    path(f"{org}files/<str:file_id>/", views.file_detail, name="file-detail"),
    path(f"{org}files/<str:file_id>/tags/", views.file_tags, name="file-tags"),
    path(f"{org}files/<str:file_id>/delete/", views.file_delete, name="file-delete"),
    path(f"{org}files/<str:file_id>/download/", views.file_download, name="file-download"),
    # Local storage only: the targets of the signed upload ticket and download URL.
    path("files/upload/<str:token>/", upload_views.local_upload, name="local-upload"),
    path("files/download/<str:token>/", upload_views.local_download, name="local-download"),
]
