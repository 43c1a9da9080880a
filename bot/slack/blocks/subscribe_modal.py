"""The subscription modal: building it from a ``SubscribeForm`` and reading what was submitted."""

import json
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot import messages
from bot.news.answers import SubscribeForm
from bot.news.subscriptions import form
from bot.news.subscriptions.arguments import EVERYTHING
from bot.slack.askers import MalformedPayloadError
from bot.slack.blocks.base import SlackMessage, section
from bot.slack.blocks.naming import DAY_NAMES, channel_mention
from bot.slack.limits import MAX_VIEW_BLOCKS, clip

CALLBACK_ID = "newsbot_subscribe"
DAY = "digest_day"
TIME = "digest_time"
ACTION = "value"  # every input's action_id: each block holds one input
LIVE, DAILY, WEEKLY = "live", "daily", "weekly"
DEFAULT_TIME = "09:00"
# Slack allows 100 options in a select; one is "All categories".
MAX_CATEGORY_OPTIONS = 99
OPTION_TEXT = 75


def subscribe_view(answer: SubscribeForm) -> dict[str, Any]:
    """The modal; ``private_metadata`` carries the channel being subscribed."""
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=messages.FORM_TITLE,
        submit=messages.FORM_SUBMIT,
        close=messages.FORM_CANCEL,
        private_metadata=json.dumps({"channel_id": answer.channel_id}),
        blocks=_form_blocks(answer),
    ).to_dict()


def _option(label: str, value: str) -> Option:
    return Option(label=clip(label, OPTION_TEXT), value=value[:150])


def _form_blocks(answer: SubscribeForm) -> list[Block]:
    categories = [_option(messages.ALL_CATEGORIES_NAME, EVERYTHING)]
    categories += [_option(name, name) for name in answer.categories[:MAX_CATEGORY_OPTIONS]]
    deliveries = [
        _option(messages.FORM_DELIVERY_LIVE, LIVE),
        _option(messages.FORM_DELIVERY_DAILY, DAILY),
        _option(messages.FORM_DELIVERY_WEEKLY, WEEKLY),
    ]
    days = [_option(name, name[:3].lower()) for name in DAY_NAMES]
    return [
        section(messages.FORM_INTRO.format(channel=channel_mention(answer.channel_id))),
        _input(
            form.CATEGORIES,
            messages.FORM_CATEGORIES,
            StaticMultiSelectElement(
                placeholder=messages.FORM_CATEGORIES_PLACEHOLDER, options=categories
            ),
            optional=False,
        ),
        _input(
            form.SENTIMENT,
            messages.FORM_SENTIMENT,
            NumberInputElement(is_decimal_allowed=True, min_value="0", max_value="10"),
            hint=messages.FORM_SENTIMENT_HINT,
        ),
        _input(
            form.KEYWORDS,
            messages.FORM_KEYWORDS,
            PlainTextInputElement(),
            hint=messages.FORM_KEYWORDS_HINT,
        ),
        _input(
            form.EXCLUDED,
            messages.FORM_EXCLUDED,
            PlainTextInputElement(),
            hint=messages.FORM_EXCLUDED_HINT,
        ),
        _input(
            form.THREAD,
            messages.FORM_THREAD,
            CheckboxesElement(options=[_option(messages.FORM_THREAD_OPTION, form.THREAD)]),
        ),
        _input(
            form.DIGEST,
            messages.FORM_DELIVERY,
            StaticSelectElement(options=deliveries, initial_option=deliveries[0]),
            optional=False,
        ),
        _input(DAY, messages.FORM_DAY, StaticSelectElement(options=days)),
        _input(TIME, messages.FORM_TIME, TimePickerElement(initial_time=DEFAULT_TIME)),
    ]


def _input(
    block_id: str, label: str, element: Any, hint: str | None = None, optional: bool = True
) -> InputBlock:
    element.action_id = ACTION
    return InputBlock(block_id=block_id, label=label, element=element, hint=hint, optional=optional)


def result_view(message: SlackMessage) -> dict[str, Any]:
    """The modal after a submission: the answer, as the channel listing shows it."""
    return View(
        type="modal",
        title=messages.FORM_DONE_TITLE,
        close=messages.FORM_CLOSE,
        blocks=message.blocks[:MAX_VIEW_BLOCKS],
    ).to_dict()


def submitted_channel(view: dict[str, Any]) -> str:
    """The channel ``subscribe_view`` put in the form's ``private_metadata``."""
    try:
        metadata = json.loads(view.get("private_metadata") or "")
    except (TypeError, ValueError):
        metadata = None
    channel = metadata.get("channel_id") if isinstance(metadata, dict) else None
    if not isinstance(channel, str) or not channel:
        raise MalformedPayloadError("the form's private_metadata names no channel")
    return channel


def read_choices(view: dict[str, Any]) -> form.FormChoices | dict[str, str]:
    """The submitted values, or errors by block id when the digest is weekly with no day.
    Raises MalformedPayloadError when the state is not shaped as Slack sends it."""
    values = _object((view.get("state") or {}).get("values"), "view.state.values")

    def value(block_id: str) -> dict[str, Any]:
        block = _object(values.get(block_id), f"the form's {block_id}")
        return _object(block.get(ACTION), f"the form's {block_id}")

    def picked(block_id: str) -> str | None:
        option = _object(value(block_id).get("selected_option"), f"the form's {block_id}")
        chosen = option.get("value")
        if chosen is not None and not isinstance(chosen, str):
            raise MalformedPayloadError(f"the form's {block_id} is not text")
        return chosen

    chosen = value(form.CATEGORIES).get("selected_options") or []
    if not isinstance(chosen, list) or not all(isinstance(o, dict) for o in chosen):
        raise MalformedPayloadError("the form's categories are not a list of options")
    kind = picked(form.DIGEST) or LIVE
    day = picked(DAY)
    at = value(TIME).get("selected_time") or DEFAULT_TIME
    if kind == WEEKLY and not day:
        return {DAY: messages.FORM_PICK_DAY}
    digest = {DAILY: f"daily@{at}", WEEKLY: f"weekly@{day}{at}"}.get(kind)
    return form.FormChoices(
        categories=tuple(str(option.get("value", "")) for option in chosen),
        min_sentiment=str(value(form.SENTIMENT).get("value") or ""),
        keywords=str(value(form.KEYWORDS).get("value") or ""),
        digest=digest,
        excluded=str(value(form.EXCLUDED).get("value") or ""),
        thread=bool(value(form.THREAD).get("selected_options")),
    )


def _object(value: object, where: str) -> dict[str, Any]:
    """``value`` if it is an object, ``{}`` if it is absent."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedPayloadError(f"{where} is not an object")
    return value
