"""Local email: without EMAIL_HOST, each message is written under var/mail/ (and printed)."""

import random
import runpy
from pathlib import Path

from django.test import Client, override_settings
from django.urls import reverse

import welltrack.settings


def _settings_with(monkeypatch, **env) -> dict:
    """The settings module as it comes out for this environment (run afresh, nothing else changed)."""
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(welltrack.settings.__file__)


def test_without_an_email_host_mail_goes_to_files_under_var_mail(monkeypatch, tmp_path):
    local = _settings_with(monkeypatch, WELLTRACK_VAR_DIR=str(tmp_path))
    assert local["EMAIL_BACKEND"] == "welltrack.mail.FileAndConsoleEmailBackend"
    assert Path(local["EMAIL_FILE_PATH"]) == tmp_path / "mail"

    production = _settings_with(monkeypatch, EMAIL_HOST="smtp.example.com")
    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_a_reset_email_is_written_to_the_mail_folder_and_printed(monkeypatch, tmp_path, capsys, user):
    local = _settings_with(monkeypatch, WELLTRACK_VAR_DIR=str(tmp_path))
    mail_dir = Path(local["EMAIL_FILE_PATH"])
    assert not mail_dir.exists()  # a fresh clone: the folder is made by the first email

    with override_settings(EMAIL_BACKEND=local["EMAIL_BACKEND"], EMAIL_FILE_PATH=str(mail_dir)):
        client = Client(REMOTE_ADDR=f"10.50.{random.randint(1, 254)}.{random.randint(1, 254)}")
        response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 200

    files = list(mail_dir.iterdir())
    assert len(files) == 1
    written = files[0].read_text()
    assert f"To: {user.email}" in written
    assert "Subject: Reset your WellTrack password" in written
    link = next(line for line in written.splitlines() if "/accounts/reset/" in line).strip()
    assert link in capsys.readouterr().out
    assert client.get(link.split("127.0.0.1:8000")[-1]).status_code == 200
