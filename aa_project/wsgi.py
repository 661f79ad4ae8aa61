"""WSGI entry point (``gunicorn aa_project.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the app, their modules) lives as long as the process: keep it
# out of the garbage collector's full passes, which would otherwise walk it every time and pause
# the requests in flight (tens of milliseconds on a small machine).
gc.freeze()
