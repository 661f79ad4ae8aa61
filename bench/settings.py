"""The project's settings with the benchmark's URLconf (the bare baseline view first) and the bare
view answered the webhooks' lean way too (``bench/baseline.py``)."""

from aa_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = [
    "bench.baseline.LeanBaselineMiddleware"
    if name == "autoattendant.middleware.PlatformWebhookMiddleware"
    else name
    for name in MIDDLEWARE  # noqa: F405
]
