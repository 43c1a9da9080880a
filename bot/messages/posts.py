"""What newsbot says about post files: why one is not a post, what was dropped, and the
ingest summary."""

# Why a file is not a post. Each is one line; the file's path is put before it.
TOO_LARGE = "file is {size:,} bytes, over the {limit:,}-byte limit for a post"
BINARY = "binary file (contains NUL bytes), not a markdown post"
NOT_UTF8 = "not UTF-8 text (byte 0x{byte:02x} at offset {offset})"
UNREADABLE_FILE = "cannot read: {error}"
NO_FRONT_MATTER = "no front matter: a post must start with a '---' line, then YAML, then '---'"
UNCLOSED_FRONT_MATTER = "front matter is never closed: add a '---' line after the YAML"
BAD_YAML = "invalid YAML in the front matter: {problem}"
BAD_YAML_AT = "invalid YAML in the front matter, line {line}: {problem}"
DEEP_YAML = "front matter nests too deeply to read"
NOT_A_MAPPING = "front matter is {kind}, not a list of 'field: value' lines"
NO_TITLE = "no title: add 'title: \"...\"' to the front matter"
TITLE_NOT_TEXT = "title is {kind}, not text"
TITLE_HAS_NO_WORDS = "title {title!r} has no letters or digits to make an id from"
NO_DATE = "no date: add 'date: YYYY-MM-DD HH:MM:SS' or name the file YYYY-MM-DD-slug.md"
BAD_DATE = (
    "unreadable date {value!r}: use 'YYYY-MM-DD HH:MM:SS', optionally with an offset like +0900"
)
DUPLICATE_ID = "post id {post_id!r} is already taken by {other}; rename one of the two files"

# Fields that were dropped while the rest of the post was kept.
SCORE_OUT_OF_RANGE = "sentiment_score {value!r} is outside {low:g}..{high:g}; dropped"
SCORE_UNREADABLE = "sentiment_score {value!r} is not a number; dropped"
NOT_A_LINK = "{field} {value!r} is not an http(s) URL; dropped"
IGNORED_FIELD = "{field} is {kind}, not text; ignored"
IMAGE_NOT_HTTPS = "image {value!r} is not an https URL; not shown"
BAD_FIELD_ALIAS = (
    "{pair!r} is not NAME=FIELD with FIELD one of {fields} "
    "(for example summary=tldr, publisher=source)"
)

# The ingest summary.
INGEST_SUMMARY = (
    "{new} new, {updated} updated, {unchanged} unchanged, {removed} removed, {rejected} rejected"
)
INGEST_REJECTED = "rejected {path}: {reason}"
INGEST_WARNING = "warning {path}: {warning}"
INGEST_NOTHING_FOUND = "no posts found in {paths} (looked for *.md and *.markdown files)"
INGEST_PROGRESS = "Reading posts"
# `newsbot serve` reading the posts directory in the background while it answers.
CATCHING_UP_PROGRESS = "catching up with the posts directory: {read} of {to_read} files read"
CAUGHT_UP = "caught up with the posts directory: {new} new, {updated} updated"

# Listing posts on the command line.
LATEST_EMPTY = "No posts yet. Run 'newsbot ingest' to read the posts directory ({posts_dir})."
