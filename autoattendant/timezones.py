"""The time zone names an AA system may use: IANA's, and only IANA's.

``zoneinfo.available_timezones()`` lists every file of the system's time zone database that
parses, and on Debian and Ubuntu that includes ``localtime`` — a link to *the host's own* zone,
so a system set to it would answer by whatever zone the server it runs on happens to have. The
reference is the ``tzdata`` package (a requirement): its list is IANA's zones and links,
``UTC`` and ``Etc/GMT+5`` included, with nothing of the host's. Without the package, the
system's list less the names that are not IANA zones.

Plain Python, no Django: the services, the API's serializers, the console and the admin all ask
here.
"""

from __future__ import annotations

import functools
import zoneinfo
from importlib import resources
from typing import Any

__all__ = ["iana_zones", "is_timezone"]

# Files of a system database that parse as zones but are not IANA names.
_NOT_IANA = frozenset({"localtime", "posixrules", "posix", "right"})


@functools.cache
def iana_zones() -> frozenset[str]:
    """Every accepted name. Read once per process (a file, or a directory walk)."""
    try:
        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset(zoneinfo.available_timezones() - _NOT_IANA)
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def is_timezone(value: Any) -> bool:
    """Whether ``value`` is an IANA time zone name (exact spelling, as IANA writes it)."""
    return isinstance(value, str) and value in iana_zones()
