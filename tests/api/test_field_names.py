"""The API's names for the services' (model) names: bodies become service arguments, and a
service's refusal names the API's fields (the envelopes themselves are checked per endpoint)."""

from __future__ import annotations

import pytest

from autoattendant.api.serializers.menus import MENU_NAMES, menu_changes
from autoattendant.api.serializers.names import action_in
from autoattendant.api.serializers.schedules import SCHEDULE_NAMES
from autoattendant.errors import Errors


def test_a_body_becomes_the_services_arguments():
    body = {
        "name": "Day",
        "colorCode": "#e56",
        "timeoutAction": {"actionType": "HANGUP"},
        "keys": [{"menuKey": "1", "menuAction": {"actionType": "GO_TO_MENU", "actionData": "M"}}],
        "enterpriseSid": "EN1",  # not the service's business
    }
    assert menu_changes(body) == {
        "name": "Day",
        "color_code": "#e56",
        "timeout_action": {"action_type": "HANGUP"},
        "keys": [{"key": "1", "action": {"action_type": "GO_TO_MENU", "action_data": "M"}}],
    }


def test_an_action_keeps_what_it_does_not_know_but_never_takes_a_service_name():
    assert action_in({"actionType": "HANGUP", "action_type": "X"}) == {"action_type": "HANGUP"}
    assert action_in({"foo": 1}) == {"foo": 1}  # refused by the service, as sent
    assert action_in("HANGUP") == "HANGUP"


def test_a_refusal_names_the_apis_fields_in_keys_paths_and_nested_objects():
    with pytest.raises(Exception) as caught, MENU_NAMES.errors():
        raise Errors.VALIDATION({"keys[2].action.action_data": "GO_TO_MENU needs a menu sid."})
    assert caught.value.data == {"keys[2].menuAction.actionData": "GO_TO_MENU needs a menu sid."}

    with pytest.raises(Exception) as caught, MENU_NAMES.errors():
        raise Errors.DUPLICATE_MENU_KEY({"key": "1", "field": "keys[1]"})
    assert list(caught.value.data.items()) == [("menuKey", "1"), ("field", "keys[1]")]

    overlap = {"at": "schedule[1].entries[0]", "menu": "MN1", "start_time": "09:00"}
    with pytest.raises(Exception) as caught, SCHEDULE_NAMES.errors():
        raise Errors.SCHEDULE_OVERLAP({"overlapping": [overlap]})
    assert caught.value.data == {
        "overlapping": [{"at": "schedule[1].entries[0]", "menuSid": "MN1", "startTime": "09:00"}]
    }
