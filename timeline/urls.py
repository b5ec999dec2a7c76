from django.urls import path

from timeline import ical_views, views

app_name = "timeline"

urlpatterns = [
    path("orgs/<str:org_id>/calendar/", views.org_calendar, name="org-calendar"),
    path("orgs/<str:org_id>/projects/<str:project_id>/calendar/", views.project_calendar, name="project-calendar"),
    path("orgs/<str:org_id>/wells/<str:well_id>/calendar/", views.well_calendar, name="well-calendar"),
    path("orgs/<str:org_id>/projects/<str:project_id>/map/", views.project_map, name="project-map"),
    path("orgs/<str:org_id>/subscriptions/", ical_views.subscription_list, name="subscription-list"),
    path("orgs/<str:org_id>/subscriptions/new/", ical_views.subscription_create, name="subscription-create"),
    path(
        "orgs/<str:org_id>/subscriptions/<str:token_id>/revoke/",
        ical_views.subscription_revoke,
        name="subscription-revoke",
    ),
    path("orgs/<str:org_id>/dashboard/<str:part>/", views.dashboard_part, name="dashboard-part"),
    path("ical/<str:token>.ics", ical_views.ical_feed, name="ical-feed"),
]
