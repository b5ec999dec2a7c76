from django.urls import include, path

from welltrack import views
from welltrack.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("api/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("orgs.urls")),
    path("", include("wells.urls")),
    path("", include("timeline.urls")),
    path("", include("files.urls")),
]
