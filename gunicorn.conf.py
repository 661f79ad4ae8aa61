"""gunicorn's configuration for production (read from the working directory by ``gunicorn
aa_project.wsgi``); each value can be overridden from the environment or the command line.

gunicorn is meant to sit behind a buffering reverse proxy (nginx, a cloud load balancer): a sync or
threaded worker serves one request per thread from its first byte to its last, so a client that
trickles its body or reads its answer slowly holds a worker all that time. The proxy takes the
whole request before passing it on and absorbs slow readers (docs/deploy.md).

Metrics: every worker is a process of its own, so ``GET /metrics`` would show one worker's counts
at a time. Set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory writable by gunicorn (systemd:
``RuntimeDirectory=``) in gunicorn's environment — before it starts, and for the web processes
only: each worker then keeps its values in files there and a scrape adds them up. The hooks below
empty it when gunicorn starts (old runs' counts would otherwise be added in) and tell
prometheus_client when a worker exits.
"""

import glob
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: a telephony platform's requests are short, and a thread waiting on the
# database lets another one run.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A platform waits about 6 s for a document: a request still running after 30 s is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Bounded requests: a request line, header count and header size no honest client exceeds.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then (with jitter) so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = 2000
# The proxy's address: trust its X-Forwarded-* headers only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# LOG_FORMAT=json: gunicorn's own lines (start-up, workers, the access log) as one JSON object a
# line too, like the application's (aa_project/log_format.py).
if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    from aa_project.log_format import FORMATTERS

    logconfig_dict = {
        "root": {"level": "INFO", "handlers": []},
        "formatters": {"json": FORMATTERS["json"]},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            name: {"level": "INFO", "handlers": ["json"], "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        },
    }


def on_starting(server):
    """A fresh ``PROMETHEUS_MULTIPROC_DIR``: a previous run's values are not this run's."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        for stale in glob.glob(os.path.join(path, "*.db")):
            os.remove(stale)


def child_exit(server, worker):
    """A worker is gone (recycled, crashed, stopped): its live gauges go with it; its counters
    and histograms stay in the sums, as Prometheus expects of counters."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
