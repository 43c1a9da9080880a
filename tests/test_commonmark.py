"""The CommonMark spec's own examples, each as a post body through ``newsbot preview --full
--json`` in one process: at least 97% lose no words, every payload passes slack_sdk's block
validation and Slack's limits, and none can mention anyone or link anywhere but http(s)."""

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.posts.markdown import html_text
from bot.posts.text import is_web_link
from bot.slack.limits import check_message
from tests.test_cli import newsbot

SPEC = Path(__file__).parent / "data" / "commonmark-spec-0.31.2.json"
_WORD = re.compile(r"\w+")
_MENTIONS = {"user", "usergroup", "channel", "broadcast"}


def _words(text: str) -> Counter[str]:
    return Counter(word.casefold() for word in _WORD.findall(text))


def _shown(blocks: list[dict[str, Any]]) -> str:
    """The text rich text blocks show: the parts of one section (or quote, or preformatted
    text) run together, as Slack shows them, the sections apart."""
    runs = []
    for element in _elements(blocks):
        parts = element.get("elements")
        if element.get("type", "").startswith("rich_text_") and parts and "type" in parts[0]:
            runs.append("".join(part.get("text") or part.get("url", "") for part in parts))
    return "\n".join(runs)


def _elements(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _elements(item)
    elif isinstance(value, list):
        for item in value:
            yield from _elements(item)


def _inert(payload: dict[str, Any]) -> bool:
    """No mention element, no link but http(s), and mrkdwn with no ``<`` but newsbot's links."""
    for element in _elements(payload["blocks"]):
        if element.get("type") in _MENTIONS:
            return False
        if "url" in element and not is_web_link(element["url"]):
            return False
        if element.get("type") == "mrkdwn" and re.search(r"<(?!https?://)", element["text"]):
            return False
    return True


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[str, dict[str, Any]]]:
    """Each example number: its expected HTML and the payload preview printed for it."""
    workdir = tmp_path_factory.mktemp("commonmark")
    posts = workdir / "examples"
    posts.mkdir()
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    for example in examples:
        front = f'---\ntitle: "Example {example["example"]}"\ndate: 2026-01-01\n---\n'
        (posts / f"example-{example['example']:04d}.md").write_text(
            front + example["markdown"], encoding="utf-8"
        )
    result = newsbot(workdir, "preview", str(posts), "--full", "--json")
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    by_number = {int(p["blocks"][0]["text"]["text"].split()[-1]): p for p in payloads}
    assert len(by_number) == len(examples), result.stderr
    return {e["example"]: (e["html"], by_number[e["example"]]) for e in examples}


def test_at_least_97_percent_of_the_spec_examples_lose_no_words(
    rendered: dict[int, tuple[str, dict[str, Any]]],
) -> None:
    lost = {}
    for number, (html, payload) in rendered.items():
        body = [block for block in payload["blocks"] if block["type"] == "rich_text"]
        shown = _words(_shown(body))
        missing = _words(html_text(html)) - shown
        if missing:
            lost[number] = sorted(missing)
    assert len(lost) <= 0.03 * len(rendered), lost


def test_every_payload_is_valid_inside_the_limits_and_inert(
    rendered: dict[int, tuple[str, dict[str, Any]]],
) -> None:
    problems = {n: check_message(payload) for n, (_, payload) in rendered.items()}
    assert {n: found for n, found in problems.items() if found} == {}
    assert [n for n, (_, payload) in rendered.items() if not _inert(payload)] == []


def test_styles_survive(rendered: dict[int, tuple[str, dict[str, Any]]]) -> None:
    """``*foo*`` is italic, ``**foo**`` bold, `` `foo` `` code: the spec's first of each."""
    styles = {}
    for number in (350, 378, 328):  # "*foo bar*", "**foo bar**", "`foo`"
        body = next(b for b in rendered[number][1]["blocks"] if b["type"] == "rich_text")
        parts = body["elements"][0]["elements"]
        styles[number] = next(p["style"] for p in parts if p.get("style"))
    assert styles == {350: {"italic": True}, 378: {"bold": True}, 328: {"code": True}}
