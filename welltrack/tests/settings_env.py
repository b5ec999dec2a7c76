"""A pytest plugin (pytest.ini: ``-p welltrack.tests.settings_env``) run before pytest-django
imports the settings: the settings module alone defaults to production (DEBUG off, a secret key
required), and the tests run with the development settings, as `make run` does. Whatever the
caller's environment says wins (the production-settings tests start child processes with their own).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
