from django.urls import include, path

from timeline.views import org_dashboard
from welltrack import views
from welltrack.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("api/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("orgs.urls")),
    # An organization's home is its dashboard, which timeline serves; a root name, so that orgs
    # (which comes before timeline) can link to it. After orgs.urls: "orgs/new/" is not an org.
    path("orgs/<str:org_id>/", org_dashboard, name="org-detail"),
    path("", include("wells.urls")),
    path("", include("timeline.urls")),
    path("", include("files.urls")),
]
