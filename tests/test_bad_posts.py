"""Files that cannot be posts: each is refused with one clear reason, and nothing else escapes."""

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.posts import (
    MAX_POST_BYTES,
    ParsedPost,
    PostError,
    parse_post,
    read_post,
    read_post_bytes,
)
from bot.posts.loader import FrontMatterLoader
from tests.support.factory import post_text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Just some markdown, no front matter.", "no front matter"),
        (b"---\ntitle: never closed\n", "never closed"),
        (b"---\ntitle: [unbalanced\n---\nBody", "invalid YAML in the front matter, line 3"),
        (b"---\ntitle: a\n\tdate: tab\n---\nBody", "invalid YAML in the front matter, line 3"),
        (b"---\n---\nBody", "no title"),
        (b"---\nlayout: post\ndate: 2026-01-01\n---\nBody", "no title"),
        (b"---\ntitle: '   '\n---\nBody", "no title"),
        (b"---\ntitle: [a, b]\n---\nBody", "title is a list, not text"),
        (b"---\n- just\n- a list\n---\nBody", "front matter is a list"),
        (b"---\ntitle: Fine\ndate: 2026-02-30\n---\nBody", "invalid YAML"),
        (b"---\ntitle: Fine\ndate: yesterday\n---\nBody", "unreadable date 'yesterday'"),
        (b"---\ntitle: Fine\n---\nBody", "no date"),
        (b"---\ntitle: '!!!'\ndate: 2026-01-01\n---\nBody", "no letters or digits"),
        (b"---\ntitle: \xff\xfe bad\n---\n", "not UTF-8 text (byte 0xff at offset 11)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"---\nx: !!python/object:os.system ls\n---\n", "invalid YAML"),
    ],
)
def test_bad_file_is_rejected_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(PostError) as caught:
        parse_post(data, "undated-notes.md")
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-01-huge.md"
    path.write_text(post_text(body="x" * MAX_POST_BYTES), encoding="utf-8")
    with pytest.raises(PostError, match=r"over the 1,048,576-byte limit"):
        read_post(path)


def test_file_at_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-01-full.md"
    path.write_bytes(b"x" * MAX_POST_BYTES)
    assert read_post_bytes(path) == b"x" * MAX_POST_BYTES


def test_file_that_outgrows_its_stat_is_refused_once_past_the_limit() -> None:
    # A character device stats as empty and never ends, like a file still being written.
    with pytest.raises(PostError, match=r"over the 1,048,576-byte limit"):
        read_post_bytes("/dev/zero")


def test_directory_is_a_post_error(tmp_path: Path) -> None:
    with pytest.raises(PostError, match="cannot read"):
        read_post_bytes(tmp_path)


def test_unreadable_file_is_a_post_error(tmp_path: Path) -> None:
    with pytest.raises(PostError, match="cannot read"):
        read_post(tmp_path / "missing.md")


def _must_be_post_or_post_error(data: bytes) -> None:
    try:
        result = parse_post(data, "2026-01-01-fuzz.md")
    except PostError as error:
        assert error.reason.strip() and "\n" not in error.reason
    else:
        assert isinstance(result, ParsedPost) and result.post.title


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text())
def test_arbitrary_text_is_a_post_or_a_post_error(text: str) -> None:
    _must_be_post_or_post_error(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary())
def test_arbitrary_bytes_are_a_post_or_a_post_error(data: bytes) -> None:
    _must_be_post_or_post_error(data)


yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.timezones())
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(string.ascii_letters, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "title",
        "category",
        "categories",
        "date",
        "source_url",
        "sentiment_score",
        "sentiment_label",
        "tldr",
        "layout",
    ]
)


@FUZZ
@given(st.dictionaries(field_names, yaml_values), st.text())
@pytest.mark.slow
def test_arbitrary_front_matter_is_a_post_or_a_post_error(
    front: dict[str, object], body: str
) -> None:
    document = yaml.safe_dump(front, allow_unicode=True)
    _must_be_post_or_post_error(f"---\n{document}---\n{body}".encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "---",
                "title: x",
                "date: 2026-01-01",
                ": ",
                "- ",
                "[",
                "{",
                "&a",
                "*a",
                "!!binary",
                "? ",
                "|",
                "\t",
                "%YAML",
                "\n",
                "'",
            ]
        ),
        max_size=30,
    )
)
def test_yaml_shaped_noise_is_a_post_or_a_post_error(pieces: list[str]) -> None:
    _must_be_post_or_post_error("\n".join(pieces).encode())


def _load(text: str, loader: type[yaml.CSafeLoader]) -> object:
    try:
        return yaml.load(text, Loader=loader)
    except Exception as error:
        return type(error), str(error)


@pytest.mark.parametrize(
    "text",
    [
        "a: &s hi\nb: *s",
        "a: !!str 5\nb: '5'\nc: 5\nd: 2026-01-01",
        "k: &m {x: y}\nl: *m",
        "- &a [a]\n- *a",
        # Mappings the loader's shortcut must leave to PyYAML: merge keys, value keys, a key
        # that is not a string, a scalar tagged as a mapping, a mapping that holds itself.
        "base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2",
        "=: value\nkey: 1",
        "1: one\ntrue: yes\n2026-01-01: day",
        "a: !!map text",
        "&r {a: *r}",
        "title: yes\nlayout: null\nscore: 0x1f\nlabel: ~",
    ],
)
def test_front_matter_loader_keeps_tags_and_aliases(text: str) -> None:
    # Compared as repr: a mapping that holds itself cannot be compared with ==.
    assert repr(_load(text, FrontMatterLoader)) == repr(_load(text, yaml.CSafeLoader))


@FUZZ
@given(yaml_values, st.lists(st.sampled_from(["&a ", "*a", "!!str ", "'x'", "- ", ": "])))
def test_front_matter_loader_reads_yaml_as_the_safe_loader_does(
    value: object, noise: list[str]
) -> None:
    for text in (yaml.safe_dump(value, allow_unicode=True), "x: " + " ".join(noise)):
        # Compared as repr: NaN, a value YAML can hold, is never equal to itself.
        assert repr(_load(text, FrontMatterLoader)) == repr(_load(text, yaml.CSafeLoader))
