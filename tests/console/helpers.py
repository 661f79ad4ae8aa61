"""Reading console pages in tests: errors next to a field, and query counting."""

from __future__ import annotations

import html
import re

_ERROR = re.compile(r'<p class="error-text">(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]+>")


def errors_next_to(response, name: str) -> list[str]:
    """The error messages rendered in the field block of the input named ``name``."""
    page = response.content.decode()
    at = page.find(f'name="{name}"')
    assert at != -1, f"no field named {name!r} on the page"
    start = max(page.rfind('<div class="field', 0, at), page.rfind("<fieldset", 0, at))
    end = min(i for i in (page.find("</div>", at), page.find("</fieldset>", at)) if i != -1)
    # Each message is read as a screen reader would hear it, less the hidden "Error: " prefix.
    return [
        html.unescape(_TAG.sub("", m)).removeprefix("Error: ")
        for m in _ERROR.findall(page[start:end])
    ]


def text(response) -> str:
    return html.unescape(response.content.decode())
