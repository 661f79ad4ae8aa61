"""How a log line is written, shared by Django's ``LOGGING`` (settings.py) and gunicorn's own
loggers (gunicorn.conf.py): ``LOG_FORMAT=json`` gives one JSON object a line."""

from __future__ import annotations

__all__ = ["FORMATTERS"]

#: ``logging.config.dictConfig`` formatters, by ``LOG_FORMAT``.
FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    # time (ISO 8601, UTC), level, logger, message, then any ``extra=`` field (``CallSid``) and,
    # for an exception, its traceback as ``exc_info`` — all on one line.
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": "time",
    },
}
