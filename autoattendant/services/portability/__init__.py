"""One enterprise as one JSON document: ``export_enterprise`` writes it, ``do_import_enterprise``
loads it into a new enterprise (``manage.py export_enterprise`` / ``import_enterprise``).

The document holds the enterprise's users (no passwords, no auth tokens), live phone numbers,
announcements (WAV audio inline as base64), mailboxes (not their messages: recordings of callers
stay where they were left), AA systems (with their holiday calendar links), menus, schedules,
holiday calendars and flow tests, in the API's field names. Every record keeps its sid so that
references (``autoAttendantSid``, ``menuSid``, an action's ``actionData``…) can be followed; an
import gives every record a new sid and rewrites the references, so export → import → export
yields the same document but for sids and dates.

- ``export``: the enterprise → the document, and the document → its text.
- ``loader``: the text → the document, every object knowing the line where it starts; the
  format's name, version and sections.
- ``importer``: the document → a new enterprise through the services, all or nothing; its
  ``bookkeeping`` (old sid → new record, failures, problems, savepoints) and the ``fields`` of a
  record (form checks, and the file's names for the services' model-terms names).
"""

from __future__ import annotations

from .export import dump_document, export_enterprise
from .importer import EnterpriseImportResult, do_import_enterprise
from .loader import FORMAT, VERSION, load_document

__all__ = [
    "FORMAT",
    "VERSION",
    "EnterpriseImportResult",
    "do_import_enterprise",
    "dump_document",
    "export_enterprise",
    "load_document",
]
