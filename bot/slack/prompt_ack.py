"""Answering a request the moment its listener acks, not at bolt's next 10 ms poll.

With ``process_before_response=False`` (listeners run on after the HTTP answer, which Slack
needs within 3 seconds) bolt starts the listener as a task and checks every 10 ms whether it
has called ``ack`` yet, so no answer leaves sooner than 10 ms after its request came, however
quick the listener. Here the ack itself says when it is given; everything else (auto-acks,
the error handler, the 3-second limit, listeners running on after the ack) stays bolt's own.
"""

import asyncio
from typing import Any, ClassVar

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.listener.async_listener import AsyncListener
from slack_bolt.listener.asyncio_runner import AsyncioListenerRunner
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


class _SignallingAck(AsyncAck):
    """bolt's ack, which also sets ``given`` once called."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.given = asyncio.Event()

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return await super().__call__(*args, **kwargs)
        finally:
            self.given.set()


class PromptAckRunner(AsyncioListenerRunner):
    """bolt's listener runner, returning the ack's response as soon as the ack is given."""

    # Listeners still running after their ack, kept here so they are not collected.
    _running: ClassVar[set["asyncio.Future[BoltResponse | None]"]] = set()

    async def run(
        self,
        request: AsyncBoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: AsyncListener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        if self.process_before_response or request.context.ack.response is not None:
            return await super().run(request, response, listener_name, listener, starting_time)
        ack = request.context["ack"] = _SignallingAck()
        work = asyncio.ensure_future(
            super().run(request, response, listener_name, listener, starting_time)
        )
        given = asyncio.ensure_future(ack.given.wait())
        await asyncio.wait({work, given}, return_when=asyncio.FIRST_COMPLETED)
        given.cancel()
        if work.done() or ack.response is None:
            return await work
        self._running.add(work)  # bolt's own wait ends at its next poll, the listener later
        work.add_done_callback(self._running.discard)
        return ack.response


def answer_promptly(app: AsyncApp) -> None:
    """Make ``app`` answer as soon as a listener acks. bolt offers no setting for its runner,
    so the one it made is given this class: all its handlers and settings stay as they are."""
    app.listener_runner.__class__ = PromptAckRunner
