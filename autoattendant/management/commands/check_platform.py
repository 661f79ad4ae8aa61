"""``manage.py check_platform [--base-url URL] [--enterprise EN…]``: fetch every announcement's
audio the way the telephony platform will, and report what it could not reach.

The platform fetches each ``<Play>`` from the URL in the RCML, built from ``PUBLIC_BASE_URL``;
Restcomm hangs a call up when a ``<Play>`` outside a ``<Gather>`` cannot be fetched, and skips
the whole ``<Gather>`` inside one. So a wrong ``PUBLIC_BASE_URL``, a proxy that does not pass
``/autoattendant/internal/announcement/file/``, or a file lost from storage silently breaks calls;
this command finds them before a caller does. It exits non-zero when anything is unreachable.

A URL counts as reachable when a GET answers 200 with a body that starts like a WAV file
(``RIFF``…``WAVE``), following no redirect to another host.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...models import Announcement

#: Seconds a fetch may take: Restcomm gives an HTTP request 6.
TIMEOUT_SECONDS = 6
_USER_AGENT = "auto-attendant-check-platform"


class _SameHost(HTTPRedirectHandler):
    """Follows a redirect only within the host first asked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            raise HTTPError(newurl, code, f"redirected to another host ({newurl})", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def probe(url: str) -> str | None:
    """``None`` when the platform could play ``url``, else why not."""
    opener = build_opener(_SameHost)
    request = Request(url, headers={"User-Agent": _USER_AGENT, "Range": "bytes=0-11"})  # noqa: S310
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            head = response.read(12)
            status = response.status
    except HTTPError as exc:
        return f"HTTP {exc.code}" + (
            f": {exc.msg}" if exc.code in (301, 302, 303, 307, 308) else ""
        )
    except (URLError, OSError, ValueError) as exc:
        return f"unreachable: {getattr(exc, 'reason', exc)}"
    if status not in (200, 206):
        return f"HTTP {status}"
    if not (head.startswith(b"RIFF") and head[8:12] == b"WAVE"):
        return "not a WAV file"
    return None


class Command(BaseCommand):
    help = (
        "Fetch every announcement's audio through PUBLIC_BASE_URL as the telephony platform "
        "would, and report what it could not reach (exit status 1 when anything is unreachable)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--base-url",
            help="Scheme and host the platform reaches us at (default PUBLIC_BASE_URL).",
        )
        parser.add_argument("--enterprise", help="Only this enterprise's announcements (its sid).")

    def handle(self, *args, **options) -> None:
        base_url = (options["base_url"] or settings.PUBLIC_BASE_URL or "").rstrip("/")
        if not base_url:
            raise CommandError(
                "Set PUBLIC_BASE_URL (or pass --base-url): the URL the platform reaches us at."
            )
        announcements = Announcement.objects.exclude(file="").select_related("enterprise")
        if options["enterprise"]:
            announcements = announcements.filter(enterprise__sid=options["enterprise"])
        rows = [
            (a, f"{base_url}{a.file_uri}") for a in announcements.order_by("enterprise_id", "name")
        ]
        with ThreadPoolExecutor(max_workers=8) as pool:
            problems = list(pool.map(lambda row: probe(row[1]), rows))
        unreachable = 0
        for (announcement, url), problem in zip(rows, problems, strict=True):
            label = f"{announcement.enterprise.name} / {announcement.name} ({announcement.sid})"
            if problem is None:
                self.stdout.write(f"ok           {label}: {url}")
            else:
                unreachable += 1
                self.stdout.write(f"UNREACHABLE  {label}: {url} — {problem}")
        summary = (
            f"{len(rows) - unreachable} of {len(rows)} announcement files reachable at {base_url}"
        )
        if unreachable:
            self.stdout.write(summary)
            raise CommandError(
                f"{unreachable} announcement file(s) the platform cannot fetch: calls that play "
                "them outside a menu prompt are hung up."
            )
        self.stdout.write(self.style.SUCCESS(summary))
