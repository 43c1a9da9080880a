"""Fetching a feed document over HTTP, politely and within limits.

A conditional request (``If-None-Match``, ``If-Modified-Since``) lets an unchanged feed answer
``304`` with no body. The whole exchange has a timeout, the body a size limit (a larger one is
refused as it streams in, not after), and redirects are followed by hand, at most
``MAX_REDIRECTS`` of them and only to http(s) URLs.
"""

from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp

from bot import __version__, messages
from bot.news.sources.documents import Document, FetchError, is_http_url

TIMEOUT_SECONDS = 30.0
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = f"newsbot/{__version__} (feed reader)"


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = TIMEOUT_SECONDS
    max_bytes: int = MAX_BYTES


async def fetch_document(
    url: str, etag: str | None, last_modified: str | None, limits: Limits = Limits()
) -> Document:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(total=limits.timeout)
    try:
        async with aiohttp.ClientSession(timeout=timeout, headers=headers) as http:
            return await _follow(http, url, limits.max_bytes)
    except TimeoutError:
        raise FetchError(messages.FEED_TIMEOUT.format(seconds=limits.timeout)) from None
    except aiohttp.ClientError as error:
        raise FetchError(messages.FEED_UNREACHABLE.format(error=_one_line(error))) from None


async def _follow(http: aiohttp.ClientSession, url: str, max_bytes: int) -> Document:
    for _ in range(MAX_REDIRECTS + 1):
        async with http.get(url, allow_redirects=False) as response:
            if response.status in _REDIRECTS:
                url = _redirect_target(url, response.headers.get("Location", ""))
                continue
            return await _document(response, url, max_bytes)
    raise FetchError(messages.FEED_TOO_MANY_REDIRECTS.format(count=MAX_REDIRECTS))


def _redirect_target(url: str, location: str) -> str:
    target = urljoin(url, location.strip())
    if not location.strip() or not is_http_url(target):
        raise FetchError(messages.FEED_BAD_REDIRECT.format(target=target[:200]))
    return target


async def _document(response: aiohttp.ClientResponse, url: str, max_bytes: int) -> Document:
    if response.status == 304:
        return Document(None, url)
    if response.status != 200:
        raise FetchError(
            messages.FEED_HTTP_STATUS.format(status=response.status, reason=response.reason or "")
        )
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise FetchError(messages.FEED_TOO_LARGE.format(limit=max_bytes // (1024 * 1024)))
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(messages.FEED_TOO_LARGE.format(limit=max_bytes // (1024 * 1024)))
    return Document(
        bytes(body),
        url,
        response.headers.get("Content-Type", ""),
        response.headers.get("ETag"),
        response.headers.get("Last-Modified"),
    )


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__
