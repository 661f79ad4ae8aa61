"""Swagger UI and ReDoc render the API's operations from the installed static files alone: every
request to any host but the live server is blocked, and none is even attempted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page, live_server) -> list[str]:
    """Let the page reach the live server only; returns the list of everything else it tried."""
    attempted: list[str] = []

    def only_the_live_server(route):
        url = route.request.url
        if url.startswith(f"{live_server.url}/"):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.route("**/*", only_the_live_server)
    return attempted


def test_swagger_ui_lists_the_operations_offline(page, live_server):
    attempted = offline(page, live_server)
    page.goto(f"{live_server.url}/autoattendant/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Auto Attendant API")
    expect(
        page.locator(".opblock-summary-description", has_text="Daily usage records")
    ).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 30
    page.wait_for_load_state("networkidle")
    assert attempted == []


def test_redoc_lists_the_operations_offline(page, live_server):
    attempted = offline(page, live_server)
    page.goto(f"{live_server.url}/autoattendant/redoc/")

    expect(page.get_by_role("heading", name="Daily usage records").first).to_be_visible()
    expect(page.get_by_text("API docs by Redocly")).to_be_visible()  # the sidebar is complete
    page.wait_for_load_state("networkidle")
    assert attempted == []
