from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"

    def ready(self) -> None:
        # Connects the receiver that removes a deleted well's files (signal wells.services.wells.well_deleting).
        from files import services  # noqa: F401
