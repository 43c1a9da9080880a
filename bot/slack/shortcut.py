"""A ``/news`` command whose answer the memo already holds, answered before bolt's dispatch.

bolt's dispatch (its middleware, the listener's task, the ack, the serialisation of the blocks)
costs several times what reading a remembered answer does, and a burst of identical commands is
exactly when the memo serves. A command is answered here only when bolt would give the very
same answer: a signed (``bot.slack.incoming`` checked it), well-formed ``/news`` command from a
person in a workspace, whose words are ones the memo may serve (``conversation.memo_key``), in
single-workspace mode, where bolt authorizes every request with the one token (it asked Slack
about it once, for the request whose answer is in the memo). In multi-workspace mode each
request's installation is looked up, so every request goes through bolt. The answer's body is
made by bolt's own ack once per remembered answer, so it is the same to the byte.
"""

from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_bolt.response import BoltResponse

from bot.news.commands import parse_command
from bot.slack.answer_memo import AnswerMemo
from bot.slack.blocks import SlackMessage
from bot.slack.conversation import memo_key
from bot.slack.listeners.commands import COMMAND, EPHEMERAL

# The payload fields bolt reads before a listener runs that would make it do anything else.
_NOT_PLAIN = ("ssl_check", "type", "event")


class MemoShortcut:
    """Remembered answers to ``/news`` commands, as bolt's acknowledgements."""

    def __init__(self, memo: AnswerMemo) -> None:
        self.memo = memo
        # The last acknowledgement made of each remembered answer, by the answer's identity.
        self._acks: dict[int, tuple[SlackMessage, BoltResponse]] = {}

    async def answer(self, payload: Mapping[str, Any]) -> BoltResponse | None:
        """bolt's acknowledgement of this command if the memo holds its answer, else None."""
        if not _plain_command(payload):
            return None
        key = memo_key(parse_command(payload.get("text", "")), shareable=True)
        message = None if key is None else self.memo.ready(key)
        if message is None:
            return None
        made = self._acks.get(id(message))
        if made is None or made[0] is not message:
            made = message, await _ack(message)
            if len(self._acks) >= self.memo.max_entries:
                self._acks.clear()
            self._acks[id(message)] = made
        return made[1]


def _plain_command(payload: Mapping[str, Any]) -> bool:
    """A ``/news`` command from a person in a workspace, and nothing else bolt looks at."""
    if payload.get("command") != COMMAND or any(name in payload for name in _NOT_PLAIN):
        return False
    return bool(payload.get("team_id")) and bool(payload.get("user_id"))


async def _ack(message: SlackMessage) -> BoltResponse:
    """The acknowledgement the ``/news`` listener gives with ``message``, made by bolt."""
    return await AsyncAck()(response_type=EPHEMERAL, **message.payload())  # type: ignore[no-untyped-call]
