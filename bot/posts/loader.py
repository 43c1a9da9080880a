"""The YAML loader for front matter: libyaml's safe loader, with shortcuts for strings."""

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

# python-frontmatter loads with libyaml's CSafeLoader where PyYAML was built with it; so do we.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

_STRING_TAG = "tag:yaml.org,2002:str"
# Plain (unquoted) scalars that are short enough to be keys or small values, by the tag their
# text resolves to: front matter repeats its keys in every file.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_LIMIT = 4096
_PLAIN_CACHED_LENGTH = 40


class FrontMatterLoader(SafeLoader):
    """The safe loader, constructing string scalars directly. Most front-matter values are
    strings, and PyYAML's generic ``construct_object`` spends as long on each of them as libyaml
    spends parsing it; a string scalar constructs as its value, so the result is the same."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if type(node) is ScalarNode and node.tag == _STRING_TAG:
            return node.value
        return super().construct_object(node, deep)

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """libyaml calls this (in Python) for every node. A scalar's tag depends only on its text
        and whether it was plain, as this loader has no path resolvers: a quoted scalar is a
        string, and a plain one's tag is remembered by text."""
        if kind is not ScalarNode or self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        if not implicit[0]:
            return _STRING_TAG
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            if len(value) <= _PLAIN_CACHED_LENGTH and len(_PLAIN_TAGS) < _PLAIN_TAGS_LIMIT:
                _PLAIN_TAGS[value] = tag
        return tag

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are all strings (so no merge keys) is built directly; PyYAML's
        path checks each key for merges and hashability through slow generic calls. (A tag such
        as ``!!map`` can put any node here: PyYAML's own path rejects the others.)"""
        if isinstance(node, MappingNode) and all(
            type(key) is ScalarNode and key.tag == _STRING_TAG for key, _ in node.value
        ):
            construct = self.construct_object
            return {key.value: construct(value, deep) for key, value in node.value}
        return super().construct_mapping(node, deep)
