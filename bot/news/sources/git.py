"""Following a git repository of posts with the ``git`` command.

Why the ``git`` command rather than dulwich: it is on every machine that has a repository to
follow, it speaks https, ssh (through the operator's own ssh configuration, keys and known hosts)
and file URLs alike, its shallow clone and fetch are the reference implementation, and it runs
as a child process that a timeout can stop without blocking the event loop.

The first fetch is a shallow clone of one branch. Later fetches bring only the new commits (a
fetch without ``--depth`` into a shallow clone) and fast-forward; when that is not possible
because the branch was force-pushed or its history rewritten, the repository is cloned again
beside the old one and swapped in, so a reader never sees half a clone.
"""

import asyncio
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bot import messages

GIT_TIMEOUT_SECONDS = 300.0
GIT_SCHEMES = ("https", "http", "ssh", "file", "git")
# user@host:path, the short form of an ssh URL.
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)\S+$")
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.IGNORECASE)


class GitError(Exception):
    """A git operation failed; the message is one line without credentials."""


@dataclass(frozen=True, slots=True)
class Repository:
    url: str
    branch: str | None
    clone: Path  # where the working copy lives


def is_git_url(url: str) -> bool:
    if _SCP_LIKE.match(url):
        return True
    parts = urlsplit(url)
    return parts.scheme in GIT_SCHEMES and bool(parts.netloc or parts.scheme == "file")


def shown_url(url: str) -> str:
    """The URL without what may be a secret: any user and password of an http(s) URL (a token
    is often put there); an ssh user name is kept, as it is no secret (``git@``)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"***@{host}"))
    if parts.password:
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
    return url


def scrub(text: str, url: str) -> str:
    """git's output with the URL's secrets taken out, on one line."""
    text = text.replace(url, shown_url(url))
    text = _USERINFO.sub(lambda found: f"{found['scheme']}***@", text)
    return " ".join(text.split())


async def update(repo: Repository) -> None:
    """Bring ``repo.clone`` to the newest commit of the branch: clone it the first time, then
    fetch and fast-forward, cloning again when the history was rewritten."""
    if not (repo.clone / ".git").is_dir():
        await _fresh_clone(repo)
        return
    ref = repo.branch or "HEAD"
    await _git(repo, "fetch", "--quiet", "--no-tags", "origin", ref, cwd=repo.clone)
    try:
        await _git(repo, "merge", "--quiet", "--ff-only", "FETCH_HEAD", cwd=repo.clone)
    except GitError:
        # Not a fast-forward: a force-push or a rewritten history. Start again from the tip.
        await _fresh_clone(repo)


async def _fresh_clone(repo: Repository) -> None:
    fresh = repo.clone.with_name(repo.clone.name + ".new")
    old = repo.clone.with_name(repo.clone.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    branch = ["--branch", repo.branch] if repo.branch else []
    args = ["clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags", *branch]
    await _git(repo, *args, "--", repo.url, str(fresh))
    if repo.clone.exists():
        repo.clone.rename(old)
    fresh.rename(repo.clone)
    shutil.rmtree(old, ignore_errors=True)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password nobody will type
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["LC_ALL"] = "C"
    return env


async def _git(repo: Repository, *args: str, cwd: Path | None = None) -> None:
    try:
        process = await asyncio.create_subprocess_exec(
            "git",
            *args,
            cwd=cwd,
            env=_environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError:
        raise GitError(messages.SOURCE_NO_GIT) from None
    try:
        async with asyncio.timeout(GIT_TIMEOUT_SECONDS):
            _, errors = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise GitError(messages.SOURCE_GIT_TIMEOUT.format(seconds=GIT_TIMEOUT_SECONDS)) from None
    if process.returncode != 0:
        detail = scrub(errors.decode("utf-8", "replace"), repo.url)
        raise GitError(messages.SOURCE_GIT_FAILED.format(command=args[0], detail=detail[:300]))
