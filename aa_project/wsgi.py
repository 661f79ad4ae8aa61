"""WSGI entry point (``gunicorn aa_project.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")

application = get_wsgi_application()
