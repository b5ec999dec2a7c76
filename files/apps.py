from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"

    def ready(self) -> None:
        # Connects the receivers of the wells signals (well_deleting, well_counting_dependents).
        from files import services  # noqa: F401 - signal receivers connect in ready(), once the app registry is loaded
