"""Every console page renders for the roles that may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pages(world):
    s = world.system.sid
    return [
        reverse("console:dashboard"),
        reverse("console:system_list"),
        reverse("console:system_create"),
        reverse("console:system_detail", args=[s]),
        reverse("console:system_edit", args=[s]),
        reverse("console:system_delete", args=[s]),
        reverse("console:menu_create", args=[s]),
        reverse("console:menu_edit", args=[world.main.sid]),
        reverse("console:menu_delete", args=[world.main.sid]),
        reverse("console:schedule_edit", args=[s]),
        reverse("console:call_flow", args=[s]),
        reverse("console:announcement_list"),
        reverse("console:announcement_create"),
        reverse("console:announcement_edit", args=[world.welcome.sid]),
        reverse("console:announcement_delete", args=[world.welcome.sid]),
        reverse("console:number_list"),
        reverse("console:number_edit", args=[world.number.sid]),
        reverse("console:usage"),
        reverse("console:simulator"),
        reverse("console:simulator") + f"?number={world.number.number}&at=2025-06-02T10:00",
        reverse("console:password_change"),
    ]


def test_every_page_renders_for_an_enterprise_admin(bg, world):
    for url in [*pages(world), reverse("console:user_list"), reverse("console:user_create")]:
        response = bg.get(url)
        assert response.status_code == 200, url


def test_every_page_but_users_renders_for_an_aa_admin(aa, world):
    for url in pages(world):
        response = aa.get(url)
        assert response.status_code == 200, url
