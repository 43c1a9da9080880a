"""Who is asking, read from any Slack payload: the one place that knows where each kind of
payload keeps the workspace, the channel and the person."""

from collections.abc import Mapping
from typing import Any

from bot.news.context import Asker, Surface


class MalformedPayloadError(ValueError):
    """A signed payload lacks what every payload of its kind carries (who sent it, from which
    workspace); the app's error handler answers 400 and logs one line."""


def asker_of(
    payload: Mapping[str, Any],
    surface: Surface = "command",
    *,
    envelope: Mapping[str, Any] | None = None,
    channel_id: str | None = None,
) -> Asker:
    """A slash command keeps flat ``team_id``/``channel_id``/``user_id``; an event keeps ``team``,
    ``channel`` and ``user`` as ids, with the workspace also on its ``envelope``; a button or a
    form keeps ``team``, ``channel`` and ``user`` as objects. ``channel_id`` overrides the
    channel (a form says which channel it is about)."""
    user = payload.get("user")
    team_id = _id(payload.get("team")) or _text(payload.get("team_id"))
    asker = Asker(
        team_id=team_id or _text((envelope or {}).get("team_id")),
        channel_id=_id(payload.get("channel")) or _text(payload.get("channel_id"))
        if channel_id is None
        else channel_id,
        user_id=_id(user) or _text(payload.get("user_id")),
        user_name=_text(user.get("username"))
        if isinstance(user, dict)
        else _text(payload.get("user_name")),
        surface=surface,
    )
    if not asker.team_id or not asker.user_id:
        raise MalformedPayloadError("the payload names no workspace or no user")
    return asker


def _id(value: object) -> str:
    """An id given as itself or as an object with an ``id``."""
    if isinstance(value, Mapping):
        return _text(value.get("id"))
    return _text(value)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
