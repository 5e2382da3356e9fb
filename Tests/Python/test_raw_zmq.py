"""The real `trainbook kernel` process driven over raw ZeroMQ sockets: signatures, replays,
malformed frames, pipelining, SIGINT while idle, heartbeat and shutdown."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import time
import uuid

import pytest
import zmq
from conftest import KERNEL_NAME, RECORDER
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

DELIMITER = b"<IDS|MSG>"


class RawClient:
    """A front end written directly against the wire format, to send what no library would."""

    def __init__(self, connection: dict) -> None:
        self.key = connection["key"].encode()
        self.context = zmq.Context()
        self.endpoint = lambda port: f"{connection['transport']}://{connection['ip']}:{connection[port]}"
        self.shell = self.context.socket(zmq.DEALER)
        self.shell.connect(self.endpoint("shell_port"))
        self.control = self.context.socket(zmq.DEALER)
        self.control.connect(self.endpoint("control_port"))
        self.iopub = self.context.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(self.endpoint("iopub_port"))
        self.session = str(uuid.uuid4())
        # The same deserialiser the other tests use, so replies are recorded for schema checks.
        self.reader = Session(key=self.key)

    def close(self) -> None:
        self.context.destroy(linger=0)

    def frames(self, msg_type: str, content: dict | None = None, msg_id: str | None = None) -> list[bytes]:
        header = {
            "msg_id": msg_id or str(uuid.uuid4()), "msg_type": msg_type, "session": self.session,
            "username": "raw", "date": "2024-01-01T00:00:00.000000Z", "version": "5.4",
        }
        parts = [json.dumps(part).encode() for part in (header, {}, {}, content or {})]
        return [DELIMITER, self.sign(parts), *parts]

    def sign(self, parts: list[bytes]) -> bytes:
        digest = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            digest.update(part)
        return digest.hexdigest().encode()

    def receive(self, socket: zmq.Socket, timeout: float = 5.0) -> dict | None:
        if not socket.poll(int(timeout * 1000)):
            return None
        frames = socket.recv_multipart()
        _, message_frames = self.reader.feed_identities(frames)
        return self.reader.deserialize(message_frames)

    def request(self, msg_type: str, content: dict | None = None, socket: zmq.Socket | None = None) -> dict:
        socket = socket or self.shell
        frames = self.frames(msg_type, content)
        socket.send_multipart(frames)
        reply = self.receive(socket)
        assert reply is not None, f"no reply to {msg_type}"
        return reply


@pytest.fixture
def kernel():
    manager = KernelManager(kernel_name=KERNEL_NAME)
    manager.start_kernel()
    client = RawClient(manager.get_connection_info(session=False) | {"key": manager.session.key.decode()})
    # Wait until the kernel answers and the IOPub subscription is live.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        client.shell.send_multipart(client.frames("kernel_info_request"))
        if client.receive(client.shell, timeout=1):
            while client.receive(client.iopub, timeout=0.3):
                pass
            break
    yield manager, client
    client.close()
    if manager.is_alive():
        manager.shutdown_kernel(now=True)


def test_kernel_info_between_busy_and_idle(kernel):
    _, client = kernel
    frames = client.frames("kernel_info_request")
    msg_id = json.loads(frames[2])["msg_id"]
    client.shell.send_multipart(frames)
    reply = client.receive(client.shell)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["protocol_version"] == "5.4"
    states = []
    while len(states) < 2:
        message = client.receive(client.iopub)
        assert message is not None
        if message["parent_header"].get("msg_id") == msg_id:
            states.append(message["content"]["execution_state"])
    assert states == ["busy", "idle"]


BAD_INPUTS = {
    "garbage": lambda client: [b"garbage"],
    "no delimiter": lambda client: [b"a", b"b", b"c", b"d", b"e", b"f"],
    "too few frames": lambda client: [DELIMITER, b"", b"{}"],
    "bad signature": lambda client: [DELIMITER, b"0" * 64, *client.frames("kernel_info_request")[2:]],
    "no signature": lambda client: [DELIMITER, b"", *client.frames("kernel_info_request")[2:]],
    "signed header not JSON": lambda client: [
        DELIMITER, client.sign([b"{oops", b"{}", b"{}", b"{}"]), b"{oops", b"{}", b"{}", b"{}",
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_untrusted_or_unusable_input_is_dropped_and_the_kernel_lives(kernel, name):
    _, client = kernel
    client.shell.send_multipart(BAD_INPUTS[name](client))
    assert client.receive(client.shell, timeout=0.5) is None
    assert client.request("kernel_info_request")["msg_type"] == "kernel_info_reply"


def test_authentic_but_invalid_requests_get_error_replies(kernel):
    _, client = kernel
    reply = client.request("execute_request", {"silent": False})
    assert reply["msg_type"] == "execute_reply"
    assert reply["content"]["status"] == "error"
    reply = client.request("warp_request", {})
    assert reply["msg_type"] == "warp_reply"
    assert reply["content"]["ename"] == "UnknownMessageType"
    parts = [json.dumps(json.loads(client.frames("complete_request")[2])).encode(), b"{}", b"{}", b"{not json"]
    client.shell.send_multipart([DELIMITER, client.sign(parts), *parts])
    reply = client.receive(client.shell)
    assert reply["msg_type"] == "complete_reply"
    assert reply["content"]["status"] == "error"


def test_replayed_message_is_answered_once(kernel):
    _, client = kernel
    frames = client.frames("kernel_info_request")
    client.shell.send_multipart(frames)
    assert client.receive(client.shell) is not None
    client.shell.send_multipart(frames)
    assert client.receive(client.shell, timeout=0.5) is None


def test_pipelined_requests_are_answered_in_order(kernel):
    _, client = kernel
    sent = []
    for index in range(50):
        msg_type = ["kernel_info_request", "is_complete_request", "complete_request"][index % 3]
        frames = client.frames(msg_type, {"code": "pri", "cursor_pos": 3})
        sent.append(json.loads(frames[2])["msg_id"])
        client.shell.send_multipart(frames)
    answered = [client.receive(client.shell)["parent_header"]["msg_id"] for _ in sent]
    assert answered == sent


def test_sigint_while_idle_is_harmless(kernel):
    manager, client = kernel
    for _ in range(3):
        os.kill(manager.provisioner.process.pid, signal.SIGINT)
    time.sleep(0.2)
    assert manager.is_alive()
    assert client.request("kernel_info_request")["msg_type"] == "kernel_info_reply"


def test_heartbeat_echoes(kernel):
    _, client = kernel
    socket = client.context.socket(zmq.REQ)
    socket.connect(client.endpoint("hb_port"))
    socket.send(b"ping")
    assert socket.poll(2000)
    assert socket.recv() == b"ping"


def test_shutdown_reply_then_clean_exit(kernel):
    manager, client = kernel
    reply = client.request("shutdown_request", {"restart": False}, socket=client.control)
    assert reply["content"] == {"status": "ok", "restart": False}
    process = manager.provisioner.process
    assert process.wait(timeout=5) == 0


def test_comm_open_for_unknown_target_is_closed(kernel):
    _, client = kernel
    frames = client.frames("comm_open", {"comm_id": "c-1", "target_name": "nowhere", "data": {}})
    msg_id = json.loads(frames[2])["msg_id"]
    client.shell.send_multipart(frames)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        message = client.receive(client.iopub)
        if message and message["msg_type"] == "comm_close":
            assert message["parent_header"]["msg_id"] == msg_id
            assert message["content"]["comm_id"] == "c-1"
            return
    pytest.fail("no comm_close")


def test_messages_are_recorded_for_schema_validation():
    assert any(message["msg_type"] == "kernel_info_reply" for message in RECORDER.messages)
