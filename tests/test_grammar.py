"""The one grammar for slash commands, DMs and mentions."""

import pytest

from bot.news.commands import Command, parse_command, readable, strip_mention


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/news latest politics", Command("latest", "politics")),
        ("latest politics 3", Command("latest", "politics 3")),
        ("  LATEST   Politics  ", Command("latest", "Politics")),
        ("/NEWS", Command("", "")),
        ("", Command("", "")),
        ("   ", Command("", "")),
        ("/news", Command("", "")),
        ('search "city council', Command("search", '"city council')),
        ("show 2026-01-26-minneapolis", Command("show", "2026-01-26-minneapolis")),
    ],
)
def test_commands_read_the_same_from_every_surface(typed: str, expected: Command) -> None:
    assert parse_command(typed) == expected


@pytest.mark.parametrize(
    ("escaped", "seen"),
    [
        ("search <@U123>", "search @U123"),
        ("search <@U123|alice>", "search @alice"),
        ("search <#C123|general>", "search #general"),
        ("search <#C123|>", "search #C123"),
        ("search <!here>", "search @here"),
        ("search <https://example.org|example.org>", "search example.org"),
        ("search <https://example.org>", "search https://example.org"),
        ("search fish &amp; chips &lt;3", "search fish & chips <3"),
        ("latest\x1b[31m politics", "latest [31m politics"),
    ],
)
def test_slack_escapes_read_as_the_person_saw_them(escaped: str, seen: str) -> None:
    assert readable(escaped) == seen


def test_the_bots_own_mention_is_dropped_from_a_mention() -> None:
    assert strip_mention("<@UBOT> latest politics", "UBOT") == "latest politics"
    assert strip_mention("<@UBOT|newsbot>: latest", "UBOT") == "latest"
    assert strip_mention("<@UOTHER> latest", "UBOT") == "<@UOTHER> latest"
