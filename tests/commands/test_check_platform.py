"""``manage.py check_platform``: every announcement's audio fetched through the public base URL
as the platform would, on the demo enterprise, against a real server."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from autoattendant.models import Announcement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(media):
    call_command("load_demo", stdout=StringIO())
    files = list(Announcement.objects.exclude(file=""))
    assert files, "the demo has recorded announcements"
    return files


def run(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("check_platform", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_the_demo_audio_is_reachable(live_server, demo):
    output, error = run("--base-url", live_server.url)
    assert error is None, output
    assert output.count("ok ") == len(demo)
    assert f"{len(demo)} of {len(demo)} announcement files reachable" in output


def test_a_file_lost_from_storage_is_reported_and_fails_the_command(live_server, demo):
    lost = demo[0]
    lost.file.storage.delete(lost.file.name)
    output, error = run("--base-url", live_server.url)
    assert error is not None and "1 announcement file(s)" in str(error)
    assert f"UNREACHABLE  {lost.enterprise.name} / {lost.name} ({lost.sid})" in output
    assert "HTTP 404" in output


def test_a_public_base_url_the_platform_cannot_reach(demo, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    output, error = run()
    assert error is not None
    assert output.count("UNREACHABLE") == len(demo)


def test_a_url_that_serves_something_else_than_audio(live_server, demo):
    # A base URL that lands on the API schema: 200, but YAML.
    output, error = run("--base-url", f"{live_server.url}/autoattendant/schema/?x=")
    assert error is not None
    assert output.count("not a WAV file") == len(demo)


def test_no_base_url_is_an_error(demo, settings):
    settings.PUBLIC_BASE_URL = ""
    with pytest.raises(CommandError, match="PUBLIC_BASE_URL"):
        call_command("check_platform", stdout=StringIO())
