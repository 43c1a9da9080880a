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
