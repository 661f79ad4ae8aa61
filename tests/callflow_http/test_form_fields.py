"""The platform's parameters are read without ``QueryDict``: the same fields, decoded the same
way, with the same limit on their number."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from autoattendant.api.views.webhooks import form_fields

from .conftest import ENTRY, MAIN_NUMBER, Platform

names = st.text(min_size=1, max_size=12)
values = st.text(max_size=24)


@given(st.lists(st.tuples(names, values), max_size=20))
def test_an_encoded_form_reads_as_querydict_reads_it(pairs) -> None:
    raw = urlencode(pairs)
    assert form_fields(raw) == QueryDict(raw).dict()


@given(st.text(alphabet="ab=&%+2F0 é", max_size=40))
def test_any_query_string_reads_as_querydict_reads_it(raw: str) -> None:
    assert form_fields(raw) == QueryDict(raw).dict()


def test_too_many_fields_are_refused(settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    with pytest.raises(TooManyFieldsSent):
        form_fields("a=1&b=2&c=3&d=4")


@pytest.mark.django_db
def test_a_multipart_entry_is_read_too(world) -> None:
    # Not what Restcomm sends, but a form is a form.
    response = Platform().client.post(ENTRY, {"To": MAIN_NUMBER, "CallSid": "CA1"})
    assert response.status_code == 200 and b"<Gather" in response.content


def test_a_raw_utf8_query_string_is_decoded() -> None:
    # WSGI hands the query string's bytes over as latin-1 text; Restcomm percent-encodes, a
    # hand-written URL may not.
    from django.test import RequestFactory

    from autoattendant.api.views.webhooks import _platform_params

    request = RequestFactory().get("/autoattendant/internal/rcml")
    request.META["QUERY_STRING"] = "SpeechResult=Jos\u00e9&Digits=1".encode().decode("latin-1")
    assert _platform_params(request) == {"SpeechResult": "Jos\u00e9", "Digits": "1"}
