"""A menu's ``colorCode``: ``#RGB`` or ``#RRGGBB``. The menus service refuses anything else; the
console's week grid draws only what passes (a stored value is never put into CSS unchecked)."""

from __future__ import annotations

import re

__all__ = ["COLOR_CODE", "is_color_code"]

COLOR_CODE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_color_code(value: object) -> bool:
    return isinstance(value, str) and COLOR_CODE.match(value) is not None
