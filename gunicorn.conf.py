"""gunicorn's settings for WellTrack (gunicorn reads ./gunicorn.conf.py by itself).

Behind the AWS load balancer: `gunicorn welltrack.wsgi` (deploy/README.md). Command-line flags
override these values (the benchmark sets its own port and workers).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
errorlog = "-"


def post_worker_init(worker):
    """What a worker has loaded by now (Django, the URL patterns, botocore's service models)
    lives as long as the worker: freezing it keeps every collection from scanning it again, and a
    larger young generation collects a request's thousands of short-lived objects a few times,
    not dozens (docs/performance.md)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
