"""Signed call state: round trip, and refusal of missing, forged or tampered signatures."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autoattendant.callflow.state import (
    MAX_PATH,
    PARAM_SIGNATURE,
    STATE_PARAMS,
    BadStateError,
    CallState,
    ForgedSignatureError,
    MissingSignatureError,
    Mode,
    StateError,
    carries_state,
    decode,
    encode,
    encode_query,
    query_string,
)

KEY = b"test-key"

STATE = CallState(
    system_sid="AA1",
    organization="EN1",
    menu_sid="MN2",
    path=("MN0", "MN1"),
    mode=Mode.EXTENSION,
    prompt_sid="AN1",
    timeouts=1,
    invalid_inputs=2,
    invalid_extensions=0,
    step=7,
)

PLATFORM = {
    "CallSid": "CA1",
    "From": "+15550001",
    "To": "15550002",
    "Digits": "1",
    "SpeechResult": "john",
    "DialCallStatus": "busy",
    "AccountSid": "AC1",
}


def test_round_trip_ignores_platform_parameters() -> None:
    params = {**encode(STATE, KEY), **PLATFORM}
    assert decode(params, KEY) == STATE


def test_encoding_is_stable_and_ordered() -> None:
    params = encode(STATE, KEY)
    assert list(params) == [*STATE_PARAMS, PARAM_SIGNATURE]
    assert params["PreviousMenuSid"] == "MN0,MN1"
    assert params["MenuSid"] == "MN2" and params["Organization"] == "EN1"
    assert encode(STATE, KEY) == params
    assert dict(parse_qsl(encode_query(STATE, KEY), keep_blank_values=True)) == params


def test_str_and_bytes_keys_agree_and_different_keys_do_not() -> None:
    assert encode(STATE, "test-key") == encode(STATE, KEY)
    with pytest.raises(ForgedSignatureError):
        decode(encode(STATE, b"other-key"), KEY)
    with pytest.raises(ValueError, match="empty"):
        encode(STATE, b"")


def test_missing_signature_is_refused() -> None:
    params = encode(STATE, KEY)
    del params[PARAM_SIGNATURE]
    with pytest.raises(MissingSignatureError):
        decode(params, KEY)
    with pytest.raises(MissingSignatureError):
        decode({**params, PARAM_SIGNATURE: ""}, KEY)


def test_missing_state_parameter_is_refused() -> None:
    params = encode(STATE, KEY)
    del params["TimeoutCount"]
    with pytest.raises(MissingSignatureError, match="TimeoutCount"):
        decode(params, KEY)


def test_forged_signature_is_refused() -> None:
    params = encode(STATE, KEY)
    params[PARAM_SIGNATURE] = "0" * 64
    with pytest.raises(ForgedSignatureError):
        decode(params, KEY)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MenuSid", "MN9"),
        ("PreviousMenuSid", "MN0"),
        ("TimeoutCount", "0"),
        ("InvalidExtensionCount", "00"),
        ("Mode", "menu"),
        ("Step", "1"),
        ("AutoAttendantSid", "AA2"),
        ("Organization", "EN2"),
        ("PromptSid", ""),
    ],
)
def test_any_tampered_state_parameter_is_refused(name: str, value: str) -> None:
    params = encode(STATE, KEY)
    params[name] = value
    with pytest.raises(ForgedSignatureError):
        decode(params, KEY)


def test_platform_parameters_are_not_signed() -> None:
    params = encode(STATE, KEY)
    for changed in ({"Digits": "9"}, {"CallSid": "CA2"}, {"Extra": "x"}):
        assert decode({**params, **changed}, KEY) == STATE


def test_signed_but_malformed_values_are_refused() -> None:
    bad = CallState(system_sid="AA1", organization="EN1", menu_sid="MN1")
    params = bad.to_params()
    params["TimeoutCount"] = "-1"
    params[PARAM_SIGNATURE] = _sign(params)
    with pytest.raises(BadStateError):
        decode(params, KEY)
    params = bad.to_params()
    params["Mode"] = "karaoke"
    params[PARAM_SIGNATURE] = _sign(params)
    with pytest.raises(BadStateError):
        decode(params, KEY)


def _sign(params: dict[str, str]) -> str:
    from autoattendant.callflow.state import _signature

    return _signature(params, KEY)


def test_all_errors_share_one_base() -> None:
    assert issubclass(MissingSignatureError, StateError)
    assert issubclass(ForgedSignatureError, StateError)
    assert issubclass(BadStateError, StateError)


def test_carries_state_tells_entry_from_continuation() -> None:
    assert not carries_state(PLATFORM)
    assert carries_state({**PLATFORM, "MenuSid": "MN1"})
    assert carries_state({**PLATFORM, PARAM_SIGNATURE: "x"})


def test_visit_resets_counters_and_caps_the_path() -> None:
    long_path = tuple(f"MN{i}" for i in range(MAX_PATH + 5))
    visited = STATE.visit("MN3", long_path)
    assert visited.path == long_path[-MAX_PATH:]
    assert (visited.mode, visited.prompt_sid, visited.timeouts, visited.invalid_inputs) == (
        Mode.MENU,
        "",
        0,
        0,
    )
    assert visited.step == STATE.step


@given(st.lists(st.tuples(st.text(), st.text()), max_size=12))
def test_query_string_is_urlencode(pairs: list[tuple[str, str]]) -> None:
    # The signed message is this encoding: any difference would refuse calls in progress.
    assert query_string(pairs) == urlencode(pairs)


def test_bind_call_fills_every_mark_and_check_call_accepts_only_that_call() -> None:
    from autoattendant.callflow.state import (
        CALL_MARK,
        ExpiredStateError,
        MissingSignatureError,
        bind_call,
        check_call,
    )

    signature = "ab" * 32
    document = f"<a href='x?Signature={signature}&amp;Expires={CALL_MARK}{signature}{CALL_MARK}'/>"
    bound = bind_call(document, KEY, "CA1", 1_000)
    assert CALL_MARK not in bound and "Expires=1000&amp;CallToken=" in bound
    token = bound.split("CallToken=")[1][:32]
    params = {"Signature": signature, "Expires": "1000", "CallToken": token, "CallSid": "CA1"}
    check_call(params, KEY, now=999)
    with pytest.raises(ExpiredStateError):
        check_call(params, KEY, now=1000)
    with pytest.raises(ExpiredStateError):
        check_call({**params, "CallSid": "CA2"}, KEY, now=999)
    with pytest.raises(ExpiredStateError):
        check_call({**params, "Expires": "1001"}, KEY, now=999)
    with pytest.raises(MissingSignatureError):
        check_call({**params, "CallToken": ""}, KEY, now=999)
