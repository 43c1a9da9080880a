"""Real places posts are published, on loopback: a git repository made in a temporary directory
(reachable as ``file://`` and over smart HTTP through ``git http-backend``), and a feed server
(aiohttp) answering from fixture files with ETags, redirects, a huge body and a stalled feed."""

import asyncio
import contextlib
import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.news.ingest.gate import IngestGate
from bot.news.sources.runner import SourceRunner
from bot.news.sources.sync import SourcePlaces, SyncResult
from bot.runtime.feed_http import fetch_document
from bot.store import Store
from tests.support.factory import write_post

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
AUTHOR = ["-c", "user.name=Newsroom CI", "-c", "user.email=ci@example.org"]
STALL_GUARD_SECONDS = 60.0  # a guard against a hanging test, not a timing assertion


class GitRepo:
    """A repository with a ``main`` branch whose posts live in ``_posts``, as a Jekyll site's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "--quiet", "--initial-branch=main")

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *AUTHOR, *args], cwd=self.path, capture_output=True, text=True, check=True
        )
        return done.stdout

    def post(self, name: str, **fields: Any) -> None:
        write_post(self.path / "_posts", name, **fields)

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)

    def rewrite_last(self, message: str) -> None:
        """Amend the last commit, as a force-push after a rewritten history leaves it."""
        self.git("add", "--all")
        self.git("commit", "--quiet", "--amend", "-m", message)


class GitHttpServer:
    """``git http-backend`` (smart HTTP) for the repositories under ``root``, as CGI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._cgi)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _cgi(self, request: web.Request) -> web.Response:
        env = {
            **os.environ,
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": "/" + request.match_info["path"],
            "REQUEST_METHOD": request.method,
            "QUERY_STRING": request.query_string,
            "CONTENT_TYPE": request.headers.get("Content-Type", ""),
            "HTTP_CONTENT_ENCODING": request.headers.get("Content-Encoding", ""),
            "REMOTE_ADDR": "127.0.0.1",
        }
        body = await request.read()
        env["CONTENT_LENGTH"] = str(len(body))
        child = await asyncio.create_subprocess_exec(
            "git", "http-backend", env=env, stdin=-1, stdout=-1, stderr=-1
        )
        out, _ = await child.communicate(body)
        head, _, payload = out.partition(b"\r\n\r\n")
        headers = dict(
            line.split(": ", 1) for line in head.decode("latin-1").split("\r\n") if ": " in line
        )
        status = int(headers.pop("Status", "200").split()[0])
        return web.Response(status=status, body=payload, headers=headers)


@dataclass
class FeedServer:
    """Serves ``documents`` (name -> (body, content type)) with an ETag each; ``/stalled/NAME``
    answers only once ``release`` is set; records each request's conditional headers."""

    documents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, If-None-Match)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""
    _runner: web.AppRunner | None = None

    def serve(self, name: str, fixture: str, content_type: str = "application/rss+xml") -> str:
        self.documents[name] = ((FEEDS / fixture).read_bytes(), content_type)
        return f"{self.url}/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/to-file", self._to_file)
        app.router.add_get("/moved/{name}", self._moved)
        app.router.add_get("/stalled/{name}", self._stalled)
        app.router.add_get("/{name}", self._document)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _document(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        asked = request.headers.get("If-None-Match")
        self.requests.append((name, asked))
        if name not in self.documents:
            return web.Response(status=404, text="no such feed")
        body, content_type = self.documents[name]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if asked == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": content_type})

    async def _stalled(self, request: web.Request) -> web.Response:
        self.stalled.set()
        async with asyncio.timeout(STALL_GUARD_SECONDS):
            await self.release.wait()
        return await self._document(request)

    async def _moved(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(f"/{request.match_info['name']}")

    async def _to_file(self, _request: web.Request) -> web.Response:
        raise web.HTTPFound("file:///etc/passwd")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """20 MB of a feed, streamed without a length, as a misbehaving server might."""
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        chunk = b"<item><title>x</title></item>" * 1000
        with contextlib.suppress(ConnectionResetError):  # newsbot hangs up once it has enough
            for _ in range(20 * 1024 * 1024 // len(chunk)):
                await response.write(chunk)
        return response


def runner_for(store: Store, places: SourcePlaces) -> SourceRunner:
    """A source runner fetching for real (git, and feeds over loopback HTTP) into ``places``."""
    return SourceRunner(store, IngestGate(store), places, fetch_document)


async def sync_one(runner: SourceRunner, source_id: int) -> SyncResult:
    """Fetch one source now; its result, which must be a finished sync."""
    [result] = await runner.sync_now([source_id])
    assert isinstance(result, SyncResult)
    return result
