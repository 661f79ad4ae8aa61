"""The engine's built-in phrases in an AA system's language, through Django's translation
catalogs (``locale/<lang>/LC_MESSAGES/django.po``, compiled to ``.mo`` by ``make``).

Resolved when a flow is compiled, never per call: :func:`phrases_for` translates every phrase
once per language and process and hands the engine a frozen :class:`~..callflow.model.Phrases`.
The English originals are the msgids; each is written out here so ``makemessages`` finds it, and
a test checks they are the engine's defaults word for word.
"""

from __future__ import annotations

import functools

from django.utils import translation
from django.utils.translation import gettext

from ..callflow.model import Phrases

__all__ = ["PHRASE_MSGIDS", "phrases_for"]


def _(message: str) -> str:
    """Marks a msgid for ``makemessages`` (translated later, in :func:`phrases_for`)."""
    return message


#: Each field of :class:`Phrases` and its msgid (the English the engine speaks by default).
PHRASE_MSGIDS: dict[str, str] = {
    "no_announcement": _("There is no announcement assigned to this Menu."),
    "extension_prompt": _("Please press the extension number"),
    "name_prompt": _("Please say the name"),
    "line_unavailable": _("Sorry, that line is not available."),
    "apology": _("We are sorry, your call cannot be completed at this time. Goodbye."),
    "invalid_choice": _("Sorry, that is not a valid choice."),
    "voicemail_greeting": _("Please leave a message after the tone."),
    "voicemail_thanks": _("Thank you, your message has been recorded. Goodbye."),
    "voicemail_nothing": _("We did not receive a message. Goodbye."),
}


@functools.lru_cache(maxsize=32)
def phrases_for(language: str | None) -> Phrases:
    """Every built-in phrase in ``language`` (``en``, ``es`` …; English for anything without a
    catalog, as Django falls back). Remembered per process: catalogs do not change while it
    runs."""
    code = (language or "en").strip() or "en"
    with translation.override(code):
        texts = {name: gettext(msgid) for name, msgid in PHRASE_MSGIDS.items()}
    return Phrases(language=code, **texts)
