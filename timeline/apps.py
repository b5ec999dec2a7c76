from django.apps import AppConfig

from accounts.signals import password_changed


class TimelineConfig(AppConfig):
    name = "timeline"

    def ready(self) -> None:
        # A private .ics link is a lasting read credential of its user, owned here; accounts (an
        # earlier app, which must not import timeline) announces a password change or reset, and
        # the links are revoked with it, as accounts ends the sessions and API tokens itself.
        from timeline import services  # noqa: PLC0415 - receivers connect in ready(), once the app registry is loaded

        password_changed.connect(services.on_password_changed, dispatch_uid="timeline.calendar-tokens")
