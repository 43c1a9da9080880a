"""The subscription form (a modal in Slack): what a person chose, checked and saved like the
typed command."""

from dataclasses import dataclass

from bot import messages
from bot.news.answers import Answer
from bot.news.context import VerbContext
from bot.news.delivery.schedule import DigestSchedule, ScheduleError
from bot.news.subscriptions.arguments import (
    ArgumentError,
    Category,
    SubscribeRequest,
    checked_exclusions,
    parse_excluded,
    parse_keywords,
    resolve_category,
    unknown_category,
)
from bot.news.subscriptions.verbs import known_categories, refusal, save_request

# The form's fields, as the Slack layer names its blocks.
CATEGORIES = "categories"
SENTIMENT = "sentiment"
KEYWORDS = "keywords"
EXCLUDED = "excluded"
THREAD = "thread"
DIGEST = "digest"


@dataclass(frozen=True, slots=True)
class FormChoices:
    """The form as submitted: category names, the sentiment minimum and keywords as typed,
    excluded words as typed, and the digest as ``daily@HH:MM`` / ``weekly@DDDHH:MM`` (``None``
    for as they come)."""

    categories: tuple[str, ...]
    min_sentiment: str = ""
    keywords: str = ""
    digest: str | None = None
    excluded: str = ""
    thread: bool = False


@dataclass(frozen=True, slots=True)
class FormProblems(Answer):
    """What to fix, by field: the form stays open with these beside the fields."""

    errors: tuple[tuple[str, str], ...]


async def subscribe_from_form(ctx: VerbContext, choices: FormChoices) -> Answer:
    """Save the choices as the asker's channel's subscriptions, or say what to fix."""
    denied = await refusal(ctx)
    if denied is not None:
        return denied
    known = await known_categories(ctx)
    errors: dict[str, str] = {}
    categories = _categories(choices, known, errors)
    minimum = _minimum(choices.min_sentiment, errors)
    digest = _digest(choices.digest, errors)
    words = _words(choices, errors)
    if errors or words is None:
        return FormProblems(tuple(errors.items()))
    keywords, excluded = words
    request = SubscribeRequest(categories, minimum, keywords, digest, excluded, choices.thread)
    return await save_request(ctx, request)


def _words(
    choices: FormChoices, errors: dict[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The keywords and excluded words, or ``None`` with the excluded field's error."""
    try:
        keywords = parse_keywords(choices.keywords)
        excluded = parse_excluded(choices.excluded, choices.keywords)
        return keywords, checked_exclusions(keywords, excluded)
    except ArgumentError as error:
        errors[EXCLUDED] = str(error)
        return None


def _categories(
    choices: FormChoices, known: dict[str, str], errors: dict[str, str]
) -> tuple[Category, ...]:
    found = []
    for name in choices.categories:
        category = resolve_category(name, known)
        if category is None:
            errors[CATEGORIES] = unknown_category([name], known)
        else:
            found.append(category)
    if not choices.categories:
        errors[CATEGORIES] = messages.FORM_PICK_CATEGORY
    return tuple(dict.fromkeys(found))


def _minimum(text: str, errors: dict[str, str]) -> float | None:
    if not text.strip():
        return None
    try:
        score = float(text)
    except ValueError:
        score = -1.0
    if not 0 <= score <= 10:
        errors[SENTIMENT] = messages.FORM_BAD_SENTIMENT
        return None
    return score


def _digest(text: str | None, errors: dict[str, str]) -> DigestSchedule | None:
    if text is None:
        return None
    try:
        return DigestSchedule.parse(text)
    except ScheduleError as error:
        errors[DIGEST] = str(error)
        return None
