"""Writing post files for tests, in the seed's format."""

from pathlib import Path
from typing import Any

import yaml

DEFAULT_BODY = """# A Headline
An opening paragraph about the news.
## Details
* one point
* another point

### Sources
- [First source](https://example.org/one)
- [Second source](https://example.org/two)
"""


def post_text(body: str = DEFAULT_BODY, **fields: Any) -> str:
    front = {
        "layout": "post",
        "title": "A test post",
        "category": "Politics",
        "date": "2026-10-01 09:30:00",
        "source_url": "https://example.org/story",
        "sentiment_score": 6,
        "sentiment_label": "Neutral",
        "tldr": ["First point.", "Second point."],
    }
    front.update(fields)
    front = {key: value for key, value in front.items() if value is not None}
    return f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n\n{body}"


def write_post(directory: Path, name: str, body: str = DEFAULT_BODY, **fields: Any) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(post_text(body, **fields), encoding="utf-8")
    return path


# A small newsroom for the Slack scenario tests: three categories, newest first by date.
STANDARD_POSTS: dict[str, dict[str, Any]] = {
    "2026-11-20-budget-vote.md": {
        "title": "Council passes budget",
        "category": "Politics",
        "date": "2026-11-20 09:00:00",
    },
    "2026-11-21-chip-plant.md": {
        "title": "Chip plant opens",
        "category": "Technology",
        "date": "2026-11-21 10:00:00",
        "sentiment_score": 9,
        "sentiment_label": "Very Positive",
    },
    "2026-11-22-river-flood.md": {
        "title": "River flood <!channel> warning",
        "category": "Climate",
        "date": "2026-11-22 07:30:00",
        "source_url": "javascript:alert(1)",
    },
}
