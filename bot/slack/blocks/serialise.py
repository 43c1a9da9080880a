"""Block Kit objects as JSON: slack_sdk's ``to_dict``, with each object validated once.

slack_sdk's ``to_dict`` validates an object, then validates it again while it collects the
attributes, and turns each nested object into a dict which it then copies key by key; a list of
posts spent more on that than on reading the posts. Here each object runs the same validators
once (so an invalid block still raises ``SlackObjectFormationError``) and its attributes are
collected by the same rules: sorted, none that are null, no empty ones except where Block Kit
allows them. A class that writes its own ``to_dict`` keeps it.
"""

from functools import cache
from typing import Any

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject

_EMPTY_ALLOWED = {(each["type"], each["property"]) for each in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST}


def as_json(block: JsonObject) -> dict[str, Any]:
    """What ``block.to_dict()`` gives."""
    if not _collected_as_sdk_does(type(block)):
        return {key: _json_value(value) for key, value in block.to_dict().items()}
    block.validate_json()
    kind = getattr(block, "type", None)
    collected = {}
    for key in sorted(block.attributes):
        value = getattr(block, key, None)
        if value is not None and (_has_content(value) or (kind, key) in _EMPTY_ALLOWED):
            collected[key] = _json_value(value)
    return collected


@cache
def _collected_as_sdk_does(cls: type[JsonObject]) -> bool:
    """Whether ``cls`` keeps ``JsonObject``'s way of making its dict."""
    return all(
        getattr(cls, name) is getattr(JsonObject, name)
        for name in ("to_dict", "get_non_null_attributes", "get_object_attribute")
    )


def _has_content(value: Any) -> bool:
    return getattr(value, "__len__", None) is None or len(value) > 0


def _json_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, JsonObject):
        return as_json(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return {key: _json_value(item) for key, item in to_dict().items()}
    return value
