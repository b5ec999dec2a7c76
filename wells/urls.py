from django.urls import path

from wells.views import events, projects, stages, wells

app_name = "wells"

org = "orgs/<str:org_id>/"

urlpatterns = [
    path(f"{org}projects/", projects.project_list, name="project-list"),
    path(f"{org}projects/new/", projects.project_create, name="project-create"),
    path(f"{org}projects/<str:project_id>/", projects.project_detail, name="project-detail"),
    path(f"{org}projects/<str:project_id>/edit/", projects.project_edit, name="project-edit"),
    path(f"{org}projects/<str:project_id>/delete/", projects.project_delete, name="project-delete"),
    path(f"{org}projects/<str:project_id>/wells/new/", wells.well_create, name="well-create"),
    path(f"{org}wells/", wells.well_search, name="well-list"),
    path(f"{org}wells/<str:well_id>/", wells.well_detail, name="well-detail"),
    path(f"{org}wells/<str:well_id>/edit/", wells.well_edit, name="well-edit"),
    path(f"{org}wells/<str:well_id>/delete/", wells.well_delete, name="well-delete"),
    path(f"{org}wells/<str:well_id>/stages/new/", stages.stage_create, name="stage-create"),
    path(f"{org}wells/<str:well_id>/events/new/", events.event_create, name="event-create"),
    path(f"{org}stages/<str:stage_id>/", stages.stage_detail, name="stage-detail"),
    path(f"{org}stages/<str:stage_id>/edit/", stages.stage_edit, name="stage-edit"),
    path(f"{org}stages/<str:stage_id>/move/", stages.stage_move, name="stage-move"),
    path(f"{org}stages/<str:stage_id>/delete/", stages.stage_delete, name="stage-delete"),
    path(f"{org}events/<str:event_id>/", events.event_detail, name="event-detail"),
    path(f"{org}events/<str:event_id>/edit/", events.event_edit, name="event-edit"),
    path(f"{org}events/<str:event_id>/delete/", events.event_delete, name="event-delete"),
    path(f"{org}events/<str:event_id>/reschedule/", events.event_reschedule, name="event-reschedule"),
]
