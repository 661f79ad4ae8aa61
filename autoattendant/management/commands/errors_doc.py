"""Print docs/errors.md from the error-code registry (``manage.py errors_doc > docs/errors.md``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from autoattendant.errors import all_error_codes

HEADER = """# Error codes

Every error of the API is the JSON envelope

```json
{"errorCode": "487", "message": "Auto Attendant user Id not found", "data": {"sid": "RCS…"}}
```

`errorCode` is a string. `data` echoes what was sent (secrets masked) or the sid asked for, and
names each bad field for validation errors. Codes below 600 are the original Auto Attendant API's
own, with its messages and HTTP 409; codes from 600 up are this project's, each with the fitting
HTTP status. The call-flow endpoint (`/autoattendant/internal/rcml`) answers RCML instead: a
forged or missing call-state signature is a 403 with `<Response><Hangup/></Response>`.

| code | HTTP | message | when |
| --- | --- | --- | --- |
"""


class Command(BaseCommand):
    help = "Print the error-code table (Markdown) from the registry."

    def handle(self, *args, **options):
        rows = [
            f"| {e.code} | {e.http_status} | {e.message} | {e.when} |" for e in all_error_codes()
        ]
        self.stdout.write(HEADER + "\n".join(rows))
