"""Every message received from the Trainbook kernel during the whole test session matches the
JSON Schemas in protocol/schemas. Runs last (pytest orders this file after the others by name)."""

from conftest import RECORDER


def test_zz_every_received_message_matches_the_protocol_schemas():
    assert RECORDER.messages, "no messages were recorded"
    problems = RECORDER.problems()
    assert not problems, "\n".join(problems[:50])
    types = {message["header"]["msg_type"] for message in RECORDER.messages}
    assert {"status", "kernel_info_reply"} <= types


def test_the_schemas_reject_broken_messages():
    from protocol_schemas import problems

    header = {
        "msg_id": "1", "msg_type": "stream", "session": "s", "username": "kernel",
        "date": "2024-01-01T00:00:00.000000Z", "version": "5.4",
    }
    good = {"header": header, "parent_header": {}, "metadata": {}, "content": {"name": "stdout", "text": "x"}}
    assert problems(good) == []
    assert problems({**good, "content": {"name": "stdlog", "text": "x"}})
    assert problems({**good, "content": {"name": "stdout"}})
    assert problems({**good, "header": {**header, "version": "4.0"}})
    assert problems({**good, "header": {**header, "msg_type": "execute_reply"}, "content": {"status": "maybe"}})
