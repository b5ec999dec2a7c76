"""gunicorn's settings for WellTrack (gunicorn reads ./gunicorn.conf.py by itself).

Behind the AWS load balancer: `gunicorn welltrack.wsgi` (deploy/README.md). Command-line flags
override these values (the benchmark sets its own port and workers).
"""

import gc
import multiprocessing
import os

from welltrack.logs import log_format, logging_config

# Loopback unless told otherwise: an instance behind the load balancer sets GUNICORN_BIND=0.0.0.0:8000,
# and its security group lets only the load balancer reach that port (the app trusts the
# X-Forwarded-For and X-Forwarded-Proto headers it is sent; deploy/README.md).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# No gunicorn access log (its line has the raw path and no request id): the app writes one line
# per request (logger welltrack.request) with its request id, user, organization and DynamoDB
# cost, secret path segments redacted.
accesslog = None
errorlog = "-"
# gunicorn's own lines in the app's format: JSON unless DJANGO_DEBUG is on or WELLTRACK_LOG_FORMAT says otherwise.
logconfig_dict = logging_config(
    log_format=log_format(debug=os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}),
    level=os.environ.get("LOG_LEVEL", "INFO"),
    gunicorn=True,
)


def post_worker_init(worker):
    """What a worker has loaded by now (Django, the URL patterns, botocore's service models)
    lives as long as the worker: freezing it keeps every collection from scanning it again, and a
    larger young generation collects a request's thousands of short-lived objects a few times,
    not dozens (docs/performance.md)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
