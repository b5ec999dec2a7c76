import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welltrack.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the URL patterns, botocore's service models) lives as long as
# the worker: freezing it keeps every collection from scanning it again, and a larger young
# generation collects a request's thousands of short-lived objects a few times, not dozens.
gc.freeze()
gc.set_threshold(50_000, 20, 20)
