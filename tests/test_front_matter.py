"""The front-matter fast path: whatever it accepts, PyYAML reads to the very same value (types,
key order and all); it accepts the front matter posts actually have; posts read the same with it
as without it."""

import random
import string
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from frontmatter.default_handlers import YAMLHandler
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.ingest import Vocabulary, post_file
from bot.posts import ParsedPost, front_matter, read_post
from bot.posts.loader import FrontMatterLoader
from bot.posts.parser import split_front_matter
from tests.conftest import SAMPLE_POSTS, SEED

_HANDLER = YAMLHandler()
GRAMMAR = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def typed(value: Any) -> Any:
    """``value`` with the type of every part beside it, dicts as ordered pairs: equal only if
    the values, their types and the keys' order all are. Scalars compare by repr, which tells
    -0.0 from 0.0 and a datetime's zone, and lets NaN equal NaN."""
    if isinstance(value, dict):
        return dict, [(typed(key), typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return list, [typed(item) for item in value]
    return type(value), repr(value)


def pyyaml(raw: str) -> Any:
    return yaml.load(raw, Loader=FrontMatterLoader)


def assert_same_as_pyyaml(raw: str) -> bool:
    """Whether the fast path accepted ``raw``; if it did, PyYAML must read the same, and so
    must PyYAML's pure-Python loader (what FrontMatterLoader is on a PyYAML without libyaml)."""
    fast = front_matter.load(raw)
    if fast is None:
        return False
    assert typed(fast) == typed(pyyaml(raw)), raw
    assert typed(fast) == typed(yaml.load(raw, Loader=yaml.SafeLoader)), raw
    return True


def front_matter_of(text: str) -> str:
    """The YAML between a post's ``---`` lines, as the parser hands it on."""
    return text.split("---", 2)[1]


# --- the grammar: lines posts have, and near misses ------------------------------------------

# Characters where YAML's rules have corners: quotes, escapes, comments, indicators, whitespace
# of every kind, line breaks libyaml knows and Python does not, and non-ASCII of all widths.
TRICKY = "\"'\\#:- \t,[]{}&*!|>%@`?~=<.\r\x85\u2028\u2029\ufeff\x7f\x00\xa0é’–🗞"
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=12)

# Values of the shape posts use, every one of which the fast path must accept.
QUOTABLE = st.characters(
    exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\"'\\\ufeff\ufffe\uffff"
)
safe_values = st.one_of(
    st.text(QUOTABLE, max_size=40).map(lambda text: f'"{text}"'),
    st.text(QUOTABLE, max_size=40).map(lambda text: f"'{text}'"),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 .,/()!?+_-]{0,30}[A-Za-z0-9.)]", fullmatch=True),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda number: f"{number:.3f}"),
    st.datetimes().map(lambda moment: f"{moment:%Y-%m-%d %H:%M:%S}"),
    st.dates().map(str),
    st.sampled_from(["~", "null", "true", "No", "0x1F", "1:30", "1e3", ".5", "1_000", "-.inf"]),
)


def _string_key(key: str) -> bool:
    return all(isinstance(k, str) for k in yaml.safe_load(f"{key}: 1"))


# Entries of that shape: a key that is a string, and a value, a list or nothing (null).
shaped_entries = st.tuples(
    st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}", fullmatch=True).filter(_string_key),
    st.one_of(
        safe_values.map(lambda value: f" {value}"),
        st.tuples(st.integers(0, 4), st.lists(safe_values, min_size=1, max_size=4)).map(
            lambda listed: "".join(f"\n{' ' * listed[0]}- {item}" for item in listed[1])
        ),
        st.just(""),
    ),
)


T = TypeVar("T")


def mostly(usual: st.SearchStrategy[T], rare: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Mostly ``usual``, now and then ``rare``: so a document holds a near miss or two, not
    one on every line (which would leave the fast path nothing to accept)."""
    return st.one_of(*[usual] * 9, rare)


RESERVED = ["yes", "No", "ON", "off", "True", "false", "null", "Null", "NULL", "y", "n", "~"]
plain_keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True)
odd_keys = st.sampled_from(
    [*RESERVED, "1", "1a", "-a", "_a", "a b", "a:b", "'a'", '"a"', "? a", "<<", "=", "é", "x" * 130]
)
keys = mostly(st.one_of(plain_keys, st.sampled_from(["title", "tldr"])), odd_keys)

NUMBERS = [
    *["0", "7", "-7", "+7", "007", "017", "08", "0x1F", "0x_", "0o17", "0b101", "0b_", "1_000"],
    *["1:30", "-1:30", "190:20:30", "1:60", ".5", "-.5", "+.5", "1.", "1.5", "1_0.5", "1e3"],
    *["1.0e+3", "1.0e3", "6.8523015e+5", ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "1.2.3"],
]
DATES = [
    *["2026-01-26", "2026-1-5", "2026-02-30", "2026-01-26 06:41:07", "2026-01-26T06:41:07Z"],
    *["2026-01-26t06:41:07.5-05", "2026-01-26 06:41:07 +01:00", "2026-01-26 6:41:07"],
    *["2026-01-26  06:41:07", "2026-01-26 06:41:07.123456789", "2026-01-26 06:41:07 +01:00:30"],
    *["2026-13-01", "2026-01-26 06:41:07 Z", "2026-01-26 25:00:00"],
]
WORDS = ["post", "a b", "a  b", "it's", 'say "hi"', "a:b", "a: b", "a:", "a #b", "a#b", "-", "--"]
WORDS += ["- a", "...", "---", "~x", "http://x.org/a?b=c#d", "a, b", "[a]", "{a}", "C:\\x", "%x"]
WORDS += ['"a" b', "'a' b", '"a', "'a''b'", '"a\\"b"', "|", ">", "&a x", "*a", "!x", "<<", "="]
odd_values = st.one_of(
    st.sampled_from(NUMBERS + DATES + RESERVED + WORDS),
    st.text(alphabet=string.printable, max_size=12),
    st.floats().map(repr),
    tricky_text.map(lambda text: f'"{text}"'),
    tricky_text.map(lambda text: f"'{text}'"),
)
values = mostly(safe_values, odd_values)
# What can follow a value: mostly nothing, sometimes spaces, a comment, a colon or a tab.
endings = mostly(st.just(""), st.sampled_from([" ", "  ", " # c", "#c", ":", "\t"]))
colons = mostly(st.just(": "), st.sampled_from([":  ", ":", " :", ":\t"]))
dashes = mostly(st.just("- "), st.sampled_from(["-  ", "-", "-\t"]))
odd_lines = (
    st.sampled_from(
        [
            *["", " ", "   ", "\t", "# a comment", "---", "...", "  continued", "  key: nested"],
            *["- x", "? a", "%YAML 1.1", "[a, b]", "{a: b}", "a: [x, y]", "a: {b: c}", "a: |"],
            *["a: >-", "&x a: b", "a: &x b", "b: *x", "a: !!str 5", "a: !!int 5", "a:b", "a: 'x"],
            '"a": b',
        ]
    )
    | tricky_text
)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    """A ``key: value`` line; or a ``key:`` line and its list, items mostly at one indentation;
    or now and then a line of something else."""
    kind = draw(st.sampled_from(["entry"] * 5 + ["list"] * 3 + ["other"]))
    if kind == "other":
        return draw(odd_lines)
    key = draw(keys)
    if kind == "entry":
        return f"{key}{draw(colons)}{draw(values)}{draw(endings)}"
    indent = draw(st.integers(0, 4))
    items = draw(
        st.lists(
            st.tuples(
                mostly(
                    st.just(indent), st.sampled_from([indent + 1, max(indent - 1, 0), indent + 2])
                ),
                dashes,
                values,
                endings,
                mostly(st.just(""), st.sampled_from(["\n", "\n  "])),  # blank lines between items
            ),
            max_size=4,
        )
    )
    head = f"{key}{draw(mostly(st.just(':'), st.sampled_from([':  ', ': ~', ':#'])))}"
    return head + "".join(
        f"\n{' ' * i}{dash}{value}{end}{gap}" for i, dash, value, end, gap in items
    )


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Front matter of the usual shape with up to three blocks of the grammar put in anywhere:
    so most documents are accepted or one near miss away from it."""
    entries = draw(st.lists(shaped_entries, max_size=8, unique_by=lambda entry: entry[0]))
    lines = [f"{key}:{value}" for key, value in entries]
    for position, block in draw(st.lists(st.tuples(st.integers(0, 8), blocks()), max_size=3)):
        lines.insert(position, block)
    start = draw(st.sampled_from(["\n", "\n", "", " \n"]))
    return start + "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@GRAMMAR
@given(documents())
@pytest.mark.slow
def test_whatever_the_fast_path_accepts_pyyaml_reads_the_same(raw: str) -> None:
    assert_same_as_pyyaml(raw)


def _bench_front_matter(seed: int) -> str:
    vocabulary = Vocabulary(random.Random(seed), size=200)
    _, text = post_file(vocabulary, seed, datetime(2025, 1, 1, 6, 0))
    return front_matter_of(text)


def _mutated(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each edit applied: at a position, delete, replace or insert a character."""
    for position, kind, character in edits:
        at = position % (len(text) + 1)
        if kind == 0:
            text = text[:at] + text[at + 1 :]
        elif kind == 1:
            text = text[:at] + character + text[at + 1 :]
        else:
            text = text[:at] + character + text[at:]
    return text


@GRAMMAR
@given(
    st.sampled_from([SEED.read_text(encoding="utf-8"), *[_bench_front_matter(n) for n in (1, 2)]]),
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 2), st.sampled_from(TRICKY + "\n  0aZ")),
        min_size=1,
        max_size=3,
    ),
)
def test_real_front_matter_with_small_edits_reads_as_pyyaml_does(
    text: str, edits: list[tuple[int, int, str]]
) -> None:
    raw = front_matter_of(text) if text.startswith("---") else text
    assert_same_as_pyyaml(_mutated(raw, edits))


# --- the shape posts use is accepted --------------------------------------------------------


@GRAMMAR
@given(st.lists(shaped_entries, min_size=1, max_size=10, unique_by=lambda entry: entry[0]))
@pytest.mark.slow
def test_front_matter_of_the_usual_shape_is_accepted(entries: list[tuple[str, str]]) -> None:
    raw = "\n" + "".join(f"{key}:{value}\n" for key, value in entries)
    assert assert_same_as_pyyaml(raw), raw


def test_the_seed_and_the_benchmarks_posts_take_the_fast_path() -> None:
    raws = [front_matter_of(SEED.read_text(encoding="utf-8"))]
    raws += [_bench_front_matter(seed) for seed in range(20)]
    for raw in raws:
        assert assert_same_as_pyyaml(raw), raw
    seed = front_matter.load(raws[0])
    assert seed is not None and list(seed) == [
        *["layout", "title", "category", "date", "source_url", "sentiment_score"],
        *["sentiment_label", "tldr"],
    ]
    assert seed["date"] == datetime(2026, 1, 26, 6, 41, 7) and seed["sentiment_score"] == 8


@pytest.mark.parametrize(
    "raw",
    [
        "a: 1:30",  # a sexagesimal int, 90
        "a: 0x1F\nb: 017\nc: 1_000\nd: 0o17",  # hex, octal, underscores; 0o17 is a string
        "a: 1e3\nb: .5\nc: 1.0e+3\nd: .NaN\ne: -.inf",  # 1e3 is a string in YAML 1.1
        "a: ~\nb: Null\nc:\nd: NULL",
        "a: yes\nb: Off\nc: y\nd: True",  # y is a string in PyYAML
        "a: 2026-01-26\nb: 2026-01-26 06:41:07\nc: 2026-01-26T06:41:07.5+01:00",
        'a: \'say "hi"\'\nb: "it\'s"\nc: ""\nd: \'\'',
        'a: "‘quoted’ 🗞 – é # not a comment"',
        "tldr:\n- indentless\n- items\nnext: 1",
        "tldr:\n\n    - deep\n\n    - items\n\nnext:",
        # Long lines: libyaml limits a key (which must close within 1,024 characters), not this.
        f'a: "{"x" * 3000}"\nb:\n  - "{"y" * 3000}"\n  - {"z " * 900}z',
    ],
)
def test_scalars_resolve_as_pyyaml_resolves_them(raw: str) -> None:
    assert assert_same_as_pyyaml(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",  # PyYAML reads None, not an empty mapping
        "\n  \n",
        'a: "x" # comment',
        'a: "x" b',
        "a: 'it''s'",
        'a: "tab\\tescape"',
        "a: x # comment",
        "# comment\na: x",
        "a: x\n  continued",
        "a: x\n\n  - not an item",
        "a: |\n  block",
        "a: >\n  folded",
        "a: [x, y]",
        "a: {b: c}",
        "a: &anchor x\nb: *anchor",
        "a: !!str 5",
        "a:\n  b: nested",
        "a:\n  - x\n    - deeper",
        "a:\n  - x\n - shallower",
        "a:\n  -",
        "a:\tx",
        "a: x\t",
        "a: x\r\nb: y",
        "a: x\nb: y\na: z",  # a duplicate key
        "yes: 1",
        "null: 1",
        "---\na: x",
        "a: x\n...",
        "a: x:",
        "a: x: y",
        "a: - x",
        "a: 2026-02-30",  # PyYAML raises; it must be PyYAML that does
        "a: 0x_",
        "a: <<",
        "a: =",
        "a: café",  # non-ASCII plain scalars are left to PyYAML
        'a: "line\u2028separator"',
    ],
)
def test_anything_else_is_left_to_pyyaml(raw: str) -> None:
    assert front_matter.load(raw) is None


# --- posts read the same with the fast path as without it -----------------------------------


def _read_all(paths: list[Path]) -> list[ParsedPost]:
    return [read_post(path) for path in paths]


def test_every_sample_post_reads_the_same_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = sorted(SAMPLE_POSTS.glob("*.md")) + sorted(SEED.parent.glob("*.md"))
    raws = {path.name: front_matter_of(path.read_text("utf-8")) for path in paths}
    # The fast path is really taken: it leaves to PyYAML only the few samples with a flow list
    # (``categories: [Technology, Business]``).
    declined = [name for name, raw in raws.items() if front_matter.load(raw) is None]
    assert declined == [name for name, raw in raws.items() if ": [" in raw]
    assert len(declined) < len(paths) // 10
    fast = _read_all(paths)
    monkeypatch.setattr(front_matter, "load", lambda raw: None)
    assert fast == _read_all(paths)


# --- the split between front matter and body --------------------------------------------------

boundary_text = st.text(alphabet=st.sampled_from("-\n \t\r\x0bab#"), max_size=40)


@GRAMMAR
@given(
    st.from_regex(r"-{3,5}[ \t\r]{0,2}", fullmatch=True),
    st.lists(boundary_text | tricky_text, max_size=6).map("".join),
)
@pytest.mark.slow
def test_the_split_is_python_frontmatters_own(opening: str, tail: str) -> None:
    """The parser's split of front matter from body gives what python-frontmatter's does, or
    fails where it fails, for any text that opens with a boundary line (dashes, blank lines and
    whitespace of every kind where boundaries have corners)."""
    text = opening + "\n" + tail
    assume(_HANDLER.detect(text))  # the parser splits nothing else
    try:
        expected: tuple[str, str] | None = _HANDLER.split(text)
    except ValueError:
        expected = None
    try:
        found: tuple[str, str] | None = split_front_matter(text)
    except ValueError:
        found = None
    assert found == expected, text


def test_the_split_reads_every_sample_post_as_python_frontmatter_does() -> None:
    for path in [*SAMPLE_POSTS.glob("*.md"), SEED]:
        text = path.read_text(encoding="utf-8").strip()
        assert split_front_matter(text) == _HANDLER.split(text), path
