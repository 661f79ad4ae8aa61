"""The spec heads the usage resource ``/phonenumbers/usage/records…`` and writes its example as
``/phonenumber/usage/records…``: both answer the same records; the schema documents the one."""

from __future__ import annotations

import pytest

from .conftest import add_number

pytestmark = pytest.mark.django_db

SUBRESOURCES = ["daily", "monthly", "yearly", "today", "yesterday", "thismonth", "lastmonth"]


@pytest.mark.parametrize("tail", ["", *(f"/{kind}" for kind in SUBRESOURCES)])
def test_the_plural_path_answers_like_the_singular(bg_admin, enterprise_a, freeze_now, tail):
    freeze_now("2019-08-10T08:30:05")
    add_number(enterprise_a, "2019-07-05")
    query = (
        ""
        if tail in ("/today", "/yesterday", "/thismonth", "/lastmonth")
        else ("?startDate=2019-07-01&endDate=2019-07-03")
    )

    singular = bg_admin.client.get(f"/autoattendant/phonenumber/usage/records{tail}{query}")
    plural = bg_admin.client.get(f"/autoattendant/phonenumbers/usage/records{tail}{query}")

    assert singular.status_code == plural.status_code == 200
    # Page links point back at the path asked; the records and the page are the same.
    links = ("uri", "firstPageUri", "previousPageUri", "nextPageUri", "lastPageUri")

    def page(response):
        data = response.json()["data"]
        return {k: v for k, v in data.items() if k not in links}

    assert page(plural) == page(singular)
    assert page(plural)["usageRecords"]


def test_the_plural_path_with_a_trailing_slash(bg_admin):
    r = bg_admin.client.get("/autoattendant/phonenumbers/usage/records/daily/")
    assert r.status_code == 200


def test_the_plural_path_is_scoped_and_authenticated_like_the_singular(anon, bg_admin_b):
    assert anon.get("/autoattendant/phonenumbers/usage/records/daily").status_code == 401


def test_the_schema_documents_the_singular_path_only(anon):
    paths = anon.get("/autoattendant/schema/?format=json").json()["paths"]
    assert "/autoattendant/phonenumber/usage/records/daily" in paths
    assert not [path for path in paths if path.startswith("/autoattendant/phonenumbers/")]
