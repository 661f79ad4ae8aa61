"""Voicemail messages (DESIGN §15): reading, marking heard, deleting, and the copy of each
recording into storage with the email that tells the mailbox's addresses about it.

The copy (:func:`copy_recording`) fetches the platform's recording with these guarantees:

- only from a host in ``RECORDING_URL_HOSTS`` (``host`` or ``host:port``), over HTTP(S) — a
  stored URL is never an invitation to fetch anything else;
- redirects are followed (at most 3) only to the same host; one to another host is refused;
- at most ``RECORDING_MAX_BYTES``: a larger ``Content-Length`` is refused before reading, a body
  that grows past it is cut off and refused;
- the body must be audio (``autoattendant.audio.recording_format``: PCM WAV or MP3).

A refusal is permanent (the row is marked FAILED with the reason); a network error or a 5xx is
transient (:class:`TransientCopyError`, which the Celery task retries with back-off before giving
up). Either way the row keeps the platform's URL, so nothing is lost, and the console and API
show the failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet

from ..audio import InvalidWav, recording_format
from ..errors import Errors
from ..models import User, Voicemail
from ..models.voicemail import CopyStatus

__all__ = [
    "CopyRefused",
    "TransientCopyError",
    "copy_recording",
    "do_delete_voicemail",
    "do_mark_heard",
    "fetch_recording",
    "notify",
    "unread_count",
]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
_CHUNK = 64 * 1024


class CopyRefused(Exception):
    """The recording will never be copied from this URL (host, redirect, size, content)."""


class TransientCopyError(Exception):
    """The platform could not be reached or failed (5xx): worth trying again later."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    extension: str


def _host_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return host, f"{host}:{port}"


def _allowed(url: str, hosts: list[str]) -> bool:
    if urlsplit(url).scheme not in ("http", "https"):
        return False
    host, host_port = _host_key(url)
    allowed = {h.strip().lower() for h in hosts if h.strip()}
    return bool(host) and (host in allowed or host_port in allowed)


def fetch_recording(
    url: str,
    *,
    hosts: list[str] | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Fetched:
    """The recording at ``url``, checked (see the module's guarantees). Raises
    :class:`CopyRefused` or :class:`TransientCopyError`."""
    hosts = settings.RECORDING_URL_HOSTS if hosts is None else hosts
    max_bytes = settings.RECORDING_MAX_BYTES if max_bytes is None else max_bytes
    timeout = settings.RECORDING_FETCH_TIMEOUT if timeout is None else timeout
    if not _allowed(url, hosts):
        raise CopyRefused(f"host {urlsplit(url).netloc or url!r} is not in RECORDING_URL_HOSTS")
    origin = _host_key(url)[1]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = requests.get(current, stream=True, allow_redirects=False, timeout=timeout)
        except requests.RequestException as exc:
            raise TransientCopyError(f"fetching the recording failed: {exc}") from None
        with response:
            if response.is_redirect:
                target = urljoin(current, response.headers.get("Location", ""))
                if _host_key(target)[1] != origin or not _allowed(target, hosts):
                    raise CopyRefused(f"redirected to another host ({urlsplit(target).netloc})")
                current = target
                continue
            if response.status_code >= 500:
                raise TransientCopyError(f"the platform answered {response.status_code}")
            if response.status_code != 200:
                raise CopyRefused(f"the platform answered {response.status_code}")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise CopyRefused(f"recording of {length} bytes exceeds {max_bytes}")
            body = bytearray()
            try:
                for chunk in response.iter_content(_CHUNK):
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise CopyRefused(f"recording exceeds {max_bytes} bytes")
            except requests.RequestException as exc:
                raise TransientCopyError(f"reading the recording failed: {exc}") from None
        try:
            extension = recording_format(bytes(body))
        except InvalidWav as exc:
            raise CopyRefused(f"not audio: {exc}") from None
        return Fetched(bytes(body), extension)
    raise CopyRefused("too many redirects")


def copy_recording(voicemail_sid: str, *, final: bool = True) -> str:
    """Copy the message's recording into storage; returns its copy status (``COPIED``,
    ``FAILED``, or ``PENDING`` after a transient error when ``final`` is False — the caller
    retries). A message already copied, or gone, is left alone."""
    voicemail = Voicemail.objects.filter(sid=voicemail_sid).first()
    if voicemail is None or voicemail.copy_status == CopyStatus.COPIED:
        return voicemail.copy_status if voicemail else ""
    try:
        fetched = fetch_recording(voicemail.recording_url)
    except TransientCopyError as exc:
        if not final:
            logger.info("Voicemail %s: copy will be retried: %s", voicemail_sid, exc)
            return CopyStatus.PENDING
        return _failed(voicemail, str(exc))
    except CopyRefused as exc:
        return _failed(voicemail, str(exc))
    name = f"{voicemail.sid}.{fetched.extension}"
    stored = Voicemail.audio.field.storage.save(
        Voicemail.audio.field.generate_filename(voicemail, name), ContentFile(fetched.data)
    )
    Voicemail.objects.filter(pk=voicemail.pk).update(
        audio=stored, copy_status=CopyStatus.COPIED, copy_error=""
    )
    return CopyStatus.COPIED


def _failed(voicemail: Voicemail, reason: str) -> str:
    logger.warning("Voicemail %s: recording not copied: %s", voicemail.sid, reason)
    Voicemail.objects.filter(pk=voicemail.pk).update(
        copy_status=CopyStatus.FAILED, copy_error=reason[:300]
    )
    return CopyStatus.FAILED


def console_link(voicemail: Voicemail) -> str:
    """Where the console shows the message (absolute when ``PUBLIC_BASE_URL`` is set)."""
    return f"{settings.PUBLIC_BASE_URL}/console/voicemail/{voicemail.sid}/"


def notify(voicemail_sid: str) -> int:
    """Email the mailbox's ``notify_emails`` about the message, once (the row remembers it).
    Returns the number of messages sent (0 with nobody to tell or already told). A mail server
    failure raises (the task retries)."""
    voicemail = Voicemail.objects.select_related("mailbox").filter(sid=voicemail_sid).first()
    if voicemail is None or voicemail.notified:
        return 0
    recipients = list(voicemail.mailbox.notify_emails or [])
    if not recipients:
        return 0
    mailbox = voicemail.mailbox
    when = voicemail.time.strftime("%Y-%m-%d %H:%M:%S UTC")
    caller = voicemail.caller or "an unknown number"
    lines = [
        f"New voicemail in {mailbox.name}.",
        "",
        f"Caller: {caller}",
        f"Time: {when}",
        f"Duration: {voicemail.duration_seconds} seconds",
        f"Listen: {console_link(voicemail)}",
    ]
    if voicemail.copy_status == CopyStatus.FAILED:
        lines += ["", f"The recording could not be copied ({voicemail.copy_error}).",
                  f"The platform keeps it at {voicemail.recording_url}"]  # fmt: skip
    sent = send_mail(
        subject=f"Voicemail from {caller} ({mailbox.name})",
        message="\n".join(lines),
        from_email=None,
        recipient_list=recipients,
    )
    Voicemail.objects.filter(pk=voicemail.pk).update(notified=True)
    return sent


def unread_count(enterprise) -> int:
    """Messages nobody has marked heard, in ``enterprise`` (one query)."""
    return Voicemail.objects.filter(enterprise=enterprise, heard=False).count()


def visible_voicemail(user: User) -> QuerySet:
    """The messages ``user`` may see."""
    rows = Voicemail.objects.select_related("mailbox", "enterprise")
    return rows if user.is_superuser else rows.filter(enterprise_id=user.enterprise_id)


def do_mark_heard(voicemail: Voicemail, heard: bool) -> Voicemail:
    """Set ``heard`` (one UPDATE; a message deleted meanwhile answers 682)."""
    with transaction.atomic():
        if not Voicemail.objects.filter(pk=voicemail.pk).update(heard=heard):
            raise Errors.VOICEMAIL_NOT_FOUND({"sid": voicemail.sid})
    voicemail.heard = heard
    return voicemail


def do_delete_voicemail(voicemail: Voicemail) -> Voicemail:
    """Delete the message and, once committed, its stored audio."""
    with transaction.atomic():
        name = voicemail.audio.name
        if not Voicemail.objects.filter(pk=voicemail.pk).delete()[0]:
            raise Errors.VOICEMAIL_NOT_FOUND({"sid": voicemail.sid})
        if name:
            storage = Voicemail.audio.field.storage
            transaction.on_commit(lambda: storage.delete(name), robust=True)
    return voicemail
