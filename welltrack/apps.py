from django.apps import AppConfig


class WellTrackConfig(AppConfig):
    name = "welltrack"
    verbose_name = "WellTrack core"
