from django.urls import path

from wells import record_views, views

app_name = "wells"

org = "orgs/<str:org_id>/"

urlpatterns = [
    path(f"{org}projects/", views.project_list, name="project-list"),
    path(f"{org}projects/new/", views.project_create, name="project-create"),
    path(f"{org}projects/<str:project_id>/", views.project_detail, name="project-detail"),
    path(f"{org}projects/<str:project_id>/edit/", views.project_edit, name="project-edit"),
    path(f"{org}projects/<str:project_id>/delete/", views.project_delete, name="project-delete"),
    path(f"{org}projects/<str:project_id>/wells/new/", views.well_create, name="well-create"),
    path(f"{org}wells/", views.well_search, name="well-list"),
    path(f"{org}wells/<str:well_id>/", views.well_detail, name="well-detail"),
    path(f"{org}wells/<str:well_id>/edit/", views.well_edit, name="well-edit"),
    path(f"{org}wells/<str:well_id>/delete/", views.well_delete, name="well-delete"),
    path(f"{org}wells/<str:well_id>/stages/new/", record_views.stage_create, name="stage-create"),
    path(f"{org}wells/<str:well_id>/events/new/", record_views.event_create, name="event-create"),
    path(f"{org}stages/<str:stage_id>/", record_views.stage_detail, name="stage-detail"),
    path(f"{org}stages/<str:stage_id>/edit/", record_views.stage_edit, name="stage-edit"),
    path(f"{org}stages/<str:stage_id>/move/", record_views.stage_move, name="stage-move"),
    path(f"{org}stages/<str:stage_id>/delete/", record_views.stage_delete, name="stage-delete"),
    path(f"{org}events/<str:event_id>/", record_views.event_detail, name="event-detail"),
    path(f"{org}events/<str:event_id>/edit/", record_views.event_edit, name="event-edit"),
    path(f"{org}events/<str:event_id>/delete/", record_views.event_delete, name="event-delete"),
    path(f"{org}events/<str:event_id>/reschedule/", record_views.event_reschedule, name="event-reschedule"),
]
