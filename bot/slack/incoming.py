"""Requests to ``POST /slack/events`` checked before bolt sees them: the signature first, then
the encoding and the payload's shape.

bolt raises on a timestamp that is not a number and on payloads it cannot navigate (a null
``event``, an empty ``actions`` list, a body that is JSON ``null``), which made each of them a 500
with a traceback for anyone who could reach the port. Here each is a refusal with a reason for the
log: 401 before the signature is known to be good, 400 after. Socket Mode needs none of this:
its payloads come over a connection Slack opened for the app token.
"""

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import parse_body

# Slack signs ``v0:TIMESTAMP:BODY``; a request more than five minutes old may be a replay.
MAX_CLOCK_SKEW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_WEB_LINK = re.compile(r"https?://", re.IGNORECASE)
_WHO = " (a stranger, a replay, or the wrong SLACK_SIGNING_SECRET)"

# The fields bolt (and the listeners) read before any check of their own, with the types Slack
# sends. An object given for an id (``user``, ``team``, ``channel``) must carry a string ``id``.
_ANY_ID = (str, dict)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "type": (str,),
    "command": (str,),
    "text": (str,),
    "trigger_id": (str,),
    "response_url": (str,),
    "callback_id": (str,),
    "private_metadata": (str,),
    "action_id": (str,),
    "value": (str,),
    "event_id": (str,),
    "team_id": (str,),
    "channel_id": (str,),
    "user_id": (str,),
    "ts": (str,),
    "thread_ts": (str,),
    "user": _ANY_ID,
    "channel": _ANY_ID,
    "team": (*_ANY_ID, type(None)),  # null in an org-wide install's interactivity payloads
    "enterprise": (*_ANY_ID, type(None)),
    "event": (dict,),
    "view": (dict,),
    "state": (dict,),
    "message": (dict,),
    "previous_message": (dict,),
    "item": (dict,),
    "container": (dict,),
    "actions": (list,),
    "authorizations": (list,),
    "response_urls": (list,),
}
_NESTED = ("event", "view", "message", "previous_message", "item", "container")
_TYPED = ("event", "view")  # bolt routes on their ``type``
_LISTS_OF_OBJECTS = ("actions", "authorizations", "response_urls")
_IDS = ("user", "channel", "team", "enterprise")
# What each kind of payload cannot do without.
_REQUIRED = {
    "event_callback": "event",
    "block_actions": "actions",
    "view_submission": "view",
    "view_closed": "view",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """An HTTP status for the sender and the reason, for the log (never the body)."""

    status: int
    reason: str


class RequestCheck:
    """Checks requests signed with ``signing_secret`` (``SLACK_SIGNING_SECRET``)."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret.encode()
        self._clock = clock

    def refusal(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """Why this request is not one for bolt, or None when it is."""
        checked = self.payload(body, headers)
        return checked if isinstance(checked, Refusal) else None

    def payload(self, body: bytes, headers: Mapping[str, str]) -> Refusal | dict[str, Any]:
        """The payload, read as bolt reads it, when the request is one for bolt; else why not."""
        return self._unsigned(body, headers) or _well_formed(body, headers.get("Content-Type"))

    def _unsigned(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        if not self._secret:
            return Refusal(401, "SLACK_SIGNING_SECRET is not set, so no request can be checked")
        if not _TIMESTAMP.fullmatch(timestamp):
            return Refusal(401, "X-Slack-Request-Timestamp is missing or not a whole number")
        if abs(self._clock() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
            return Refusal(401, "X-Slack-Request-Timestamp is more than five minutes away" + _WHO)
        signed = b"v0:" + timestamp.encode() + b":" + body
        expected = b"v0=" + hmac.new(self._secret, signed, hashlib.sha256).hexdigest().encode()
        given = headers.get("X-Slack-Signature", "").encode(errors="surrogateescape")
        if not hmac.compare_digest(expected, given):
            return Refusal(401, "X-Slack-Signature does not match the body" + _WHO)
        return None


def readable_payload(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    """The payload as bolt reads a body (JSON, a form, or a form with a JSON ``payload``) when
    it is shaped so that bolt can read further into it; else None. Signed or not."""
    try:
        payload = _parsed(body.decode(), content_type)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError among them
        return None
    if not isinstance(payload, dict) or shape_problem(payload, "payload"):
        return None
    return payload


def _parsed(text: str, content_type: str | None) -> object:
    return parse_body(text, (content_type or "").split(";")[0] or None)


def _well_formed(body: bytes, content_type: str | None) -> Refusal | dict[str, Any]:
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return Refusal(400, "the body is not UTF-8")
    try:
        payload = _parsed(text, content_type)
    except ValueError:
        return Refusal(400, "the body is neither JSON nor a form with a JSON payload")
    if not isinstance(payload, dict):
        return Refusal(400, f"the payload is {_kind(payload)}, not an object")
    problem = shape_problem(payload, "payload")
    return Refusal(400, problem) if problem else payload


def shape_problem(payload: Mapping[str, Any], where: str) -> str | None:
    """The first thing in ``payload`` that Slack never sends that way, or None."""
    return next(_problems(payload, where), None)


def _problems(payload: Mapping[str, Any], where: str) -> Iterator[str]:
    """Each field's type first, so that what follows may rely on it."""
    for field, types in _FIELD_TYPES.items():
        if field in payload and not isinstance(payload[field], types):
            yield f"{where}.{field} is {_kind(payload[field])}"
    yield from _missing(payload, where)
    for field in _NESTED:
        if isinstance(payload.get(field), dict):
            yield from _problems(payload[field], f"{where}.{field}")
    for field in _LISTS_OF_OBJECTS:
        for index, item in enumerate(payload.get(field) or ()):
            yield from _item_problems(field, item, f"{where}.{field}[{index}]")


def _item_problems(field: str, item: object, place: str) -> Iterator[str]:
    if not isinstance(item, dict):
        yield f"{place} is {_kind(item)}"
    elif field == "actions" and "action_id" not in item:
        yield f"{place} has no action_id"
    else:
        yield from _problems(item, place)


def _missing(payload: Mapping[str, Any], where: str) -> Iterator[str]:
    for field in _IDS:
        value = payload.get(field)
        if isinstance(value, dict) and not isinstance(value.get("id", ""), str):
            yield f"{where}.{field}.id is {_kind(value.get('id'))}"
    for field in _TYPED:
        if isinstance(payload.get(field), dict) and "type" not in payload[field]:
            yield f"{where}.{field} has no type"
    required = _REQUIRED.get(str(payload.get("type")))
    if required is not None and not payload.get(required):
        yield f"{where}.{required} is missing or empty in a {payload['type']} payload"
    if not _WEB_LINK.match(payload.get("response_url", "https://")):
        yield f"{where}.response_url is not an http(s) URL"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "unknown")
