"""WSGI entry point (gunicorn welltrack.wsgi; its settings are in gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welltrack.settings")
application = get_wsgi_application()
