"""Reading news-summary files into Post values. Knows nothing of databases or Slack."""

from bot.posts.errors import PostError
from bot.posts.files import (
    MAX_POST_BYTES,
    POST_SUFFIXES,
    FileStat,
    PostFile,
    find_post_files,
    post_file_runs,
    read_post_bytes,
)
from bot.posts.model import UNCATEGORIZED, ParsedPost, Post, PostRecord, Source
from bot.posts.parser import parse_post, parse_record, read_post

__all__ = [
    "MAX_POST_BYTES",
    "POST_SUFFIXES",
    "UNCATEGORIZED",
    "FileStat",
    "ParsedPost",
    "Post",
    "PostError",
    "PostFile",
    "PostRecord",
    "Source",
    "find_post_files",
    "parse_post",
    "parse_record",
    "post_file_runs",
    "read_post",
    "read_post_bytes",
]
