"""Block Kit objects as JSON: slack_sdk's ``to_dict``, with each object validated once.

slack_sdk's ``to_dict`` validates an object, then validates it again while it collects the
attributes, and turns each nested object into a dict which it then copies key by key; a list of
posts spent more on that than on reading the posts. Here each object runs the same validators
once (so an invalid block still raises ``SlackObjectFormationError``) and its attributes are
collected by the same rules: sorted, none that are null, no empty ones except where Block Kit
allows them. A class that writes its own ``to_dict`` keeps it.

What slack_sdk works out afresh for every object (its validators, found among every name of
the class, and its attributes, sorted) depends on the class alone, so it is worked out once a
class (``_Plan``): an answer serialises a few dozen objects of a handful of classes.
"""

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject

_EMPTY_ALLOWED = {(each["type"], each["property"]) for each in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST}
# Values that are their own JSON, told apart by their exact type: most values are one of these.
_PLAIN = frozenset({str, int, float, bool})


@dataclass(frozen=True, slots=True)
class _Plan:
    """How objects of one class become JSON; ``validators`` is None for a class that makes its
    own dict (its ``to_dict`` is used, whatever it does)."""

    validators: tuple[str, ...] | None
    keys: tuple[str, ...] = ()


_plans: dict[type, _Plan] = {}


def as_json(block: JsonObject) -> dict[str, Any]:
    """What ``block.to_dict()`` gives."""
    plan = _plans.get(type(block)) or _plan(block)
    if plan.validators is None:
        return {key: _json_value(value) for key, value in block.to_dict().items()}
    _validate(block, plan.validators)
    kind = getattr(block, "type", None)
    collected = {}
    for key in plan.keys:
        value = getattr(block, key, None)
        if value is not None and (_has_content(value) or (kind, key) in _EMPTY_ALLOWED):
            collected[key] = _json_value(value)
    return collected


def _validate(block: JsonObject, validators: tuple[str, ...]) -> None:
    """slack_sdk's ``validate_json``: every validator method, by name in sorted order. It
    also looks among the object's own attributes, which hold values, not validators; one
    that hid a validator's name would be the odd object, checked slack_sdk's way."""
    own = getattr(block, "__dict__", {})
    if any(name in own for name in validators):
        block.validate_json()
        return
    for name in validators:
        getattr(block, name)()


def _plan(block: JsonObject) -> _Plan:
    """The plan for ``block``'s class, made from this first object of it: slack_sdk's
    ``attributes`` are the same for every object of a class."""
    cls = type(block)
    if not _collected_as_sdk_does(cls):
        plan = _Plan(None)
    else:
        plan = _Plan(_validator_names(cls), tuple(sorted(block.attributes)))
    _plans[cls] = plan
    return plan


def _validator_names(cls: type) -> tuple[str, ...]:
    """The names slack_sdk's ``validate_json`` calls, in its order (``JsonValidator`` marks
    each method with a ``validator`` attribute)."""
    names = (name for name in dir(cls) if not name.startswith("__"))
    return tuple(sorted(name for name in names if _is_validator(getattr(cls, name, None))))


def _is_validator(value: object) -> bool:
    return callable(value) and hasattr(value, "validator")


def _collected_as_sdk_does(cls: type[JsonObject]) -> bool:
    """Whether ``cls`` keeps ``JsonObject``'s way of making its dict."""
    return all(
        getattr(cls, name) is getattr(JsonObject, name)
        for name in ("to_dict", "get_non_null_attributes", "get_object_attribute", "validate_json")
    )


def _has_content(value: Any) -> bool:
    return getattr(value, "__len__", None) is None or len(value) > 0


def _json_value(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, JsonObject):
        return as_json(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return {key: _json_value(item) for key, item in to_dict().items()}
    return value
