"""Validation of Jupyter messages against the JSON Schemas in protocol/schemas (draft 2020-12)."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jupyter_client.jsonutil import squash_dates
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[2] / "protocol" / "schemas"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def _validator(relative: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / relative).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)


MESSAGE = _validator("message.json")
ERROR_REPLY = _validator("error-reply.json")
CONTENT = {path.stem: _validator(f"content/{path.name}") for path in (SCHEMAS / "content").glob("*.json")}


def problems(message: dict[str, Any]) -> list[str]:
    """Every schema violation of one message (as jupyter_client deserialises it), as text."""
    message = squash_dates(copy.deepcopy(dict(message)))
    found = [f"envelope: {error.message}" for error in MESSAGE.iter_errors(message)]
    msg_type = message.get("header", {}).get("msg_type", "")
    validator = CONTENT.get(msg_type)
    if validator is None and msg_type.endswith("_reply"):
        validator = ERROR_REPLY  # the reply to a request type the kernel does not know
    if validator is None:
        return found + [f"no schema for message type {msg_type!r}"]
    found += [f"{msg_type} content: {error.message}" for error in validator.iter_errors(message["content"])]
    return found


class Recorder:
    """Keeps every message a client deserialises (replies and IOPub alike) for later validation."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, message: dict[str, Any]) -> None:
        with self._lock:
            self.messages.append(copy.deepcopy(message))

    def problems(self) -> list[str]:
        with self._lock:
            messages = list(self.messages)
        found = []
        for message in messages:
            for problem in problems(message):
                found.append(f"{message['header'].get('msg_type')} {message['header'].get('msg_id')}: {problem}")
        return found
