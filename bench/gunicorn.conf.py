"""The benchmark's gunicorn: its command-line options only. Not the project's production
configuration (``gunicorn.conf.py``): no access log and no worker recycling, so runs measure the
application rather than log writing, and a recycled worker never empties its caches mid-run."""
