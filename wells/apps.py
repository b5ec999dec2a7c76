from django.apps import AppConfig


class WellsConfig(AppConfig):
    name = "wells"
