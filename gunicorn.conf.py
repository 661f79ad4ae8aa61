"""gunicorn's configuration for production (read from the working directory by ``gunicorn
aa_project.wsgi``); each value can be overridden from the environment or the command line.

gunicorn is meant to sit behind a buffering reverse proxy (nginx, a cloud load balancer): a sync or
threaded worker serves one request per thread from its first byte to its last, so a client that
trickles its body or reads its answer slowly holds a worker all that time. The proxy takes the
whole request before passing it on and absorbs slow readers (README, "Production").
"""

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
