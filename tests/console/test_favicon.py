"""The favicon: browsers ask every page's host for /favicon.ico, and the console's pages link an
SVG icon and that ICO; neither is ever a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_ico_is_served_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert body(response)[:4] == b"\x00\x00\x01\x00"  # an icon file


def test_console_pages_link_the_icon_files(bg, world, client):
    for page in (
        bg.get("/console/").content.decode(),
        client.get("/console/login/").content.decode(),
    ):
        assert '<link rel="icon" href="/favicon.ico"' in page
        assert '<link rel="icon" href="/static/console/favicon.svg" type="image/svg+xml">' in page
    svg = finders.find("console/favicon.svg")
    assert svg and Path(svg).read_text().startswith("<svg")
