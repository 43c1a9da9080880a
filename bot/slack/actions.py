"""Button identities and the values they carry back to newsbot when clicked."""

import json
import re
from dataclasses import dataclass

from bot.slack.limits import BUTTON_VALUE

FULL_SUMMARY = "newsbot_full_summary"
SHOW_POST = "newsbot_show_post"
NEXT_PAGE = "newsbot_next_page"
SHARE = "newsbot_share"
LINK_PREFIX = "newsbot_link"
# Link buttons open a URL in the browser; Slack still reports the click, which only needs an ack.
LINK = re.compile(rf"^{LINK_PREFIX}_\d+$")


def link_action(index: int) -> str:
    return f"{LINK_PREFIX}_{index}"


@dataclass(frozen=True, slots=True)
class Rerun:
    """A command to run again from a button: the next page of a list, or a share."""

    command: str
    offset: int = 0

    def encode(self) -> str:
        # The command comes from a person; cut it rather than exceed Slack's value limit.
        command = self.command[: BUTTON_VALUE - 40]
        return json.dumps({"command": command, "offset": self.offset}, ensure_ascii=False)

    @classmethod
    def decode(cls, value: str) -> "Rerun | None":
        """The rerun a button carried, or None for a value newsbot did not make."""
        try:
            data = json.loads(value)
            command, offset = data["command"], data["offset"]
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(command, str) or not isinstance(offset, int) or offset < 0:
            return None
        return cls(command, offset)
