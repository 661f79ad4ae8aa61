"""With a Redis stream, a call's request only appends its step to the process's outgoing list:
the list reaches the stream as one pipelined batch (a background thread, every
``CALL_RECORDING_FLUSH_SECONDS``), and a refused batch is written to the database directly.
Collected where Redis is (``REDIS_URL``)."""

from __future__ import annotations

import pytest

from autoattendant.models import Call, CallStep
from autoattendant.runtime import recording

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(settings):
    settings.CALL_RECORDING = "stream"
    settings.CALL_RECORDING_FLUSH_SECONDS = 3600  # the thread never fires during a test
    recording.discard()
    yield recording._redis()
    recording.discard()


def _xlen(client) -> int:
    return client.xlen(recording.stream_key())


def test_a_request_does_not_talk_to_redis_and_the_batch_arrives_whole(stream, restcomm_like):
    restcomm_like(caller="15550007777")
    restcomm_like(caller="15550007777")
    assert _xlen(stream) == 0  # nothing sent by the requests themselves
    assert recording.pending() == 2
    assert recording.send_to_stream() == 2
    assert _xlen(stream) == 2
    assert recording.pending() == 2  # in the stream now, not written yet
    assert recording.drain_stream() == 2
    assert Call.objects.get().from_number == "15550007777"
    assert CallStep.objects.count() == 1  # the same CallSid's step 1, delivered twice: once


def test_a_batch_the_stream_refuses_is_written_directly(stream, restcomm_like, settings):
    restcomm_like(caller="15550008888")
    reachable = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    recording._client = None
    try:
        assert recording.send_to_stream() == 0
        assert recording.flush_local() == 1
    finally:
        settings.REDIS_URL = reachable
        recording._client = None
        recording._stream_down_until = 0.0
    assert Call.objects.get().from_number == "15550008888"
