"""Local email: each message is written to var/mail/ and printed, so a developer can click its links."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class FileAndConsoleEmailBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(fail_silently=kwargs.get("fail_silently", False))
        self._file = FileBackend(*args, **kwargs)
        self._console = ConsoleBackend(fail_silently=self.fail_silently)

    def send_messages(self, email_messages):
        sent = self._file.send_messages(email_messages)
        self._console.send_messages(email_messages)
        return sent
