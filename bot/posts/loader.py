"""The YAML loader for front matter: libyaml's safe loader, with a shortcut for strings."""

from typing import Any

from yaml.nodes import Node, ScalarNode

# python-frontmatter loads with libyaml's CSafeLoader where PyYAML was built with it; so do we.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

_STRING_TAG = "tag:yaml.org,2002:str"


class FrontMatterLoader(SafeLoader):
    """The safe loader, constructing string scalars directly. Most front-matter values are
    strings, and PyYAML's generic ``construct_object`` spends as long on each of them as libyaml
    spends parsing it; a string scalar constructs as its value, so the result is the same."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if type(node) is ScalarNode and node.tag == _STRING_TAG:
            return node.value
        return super().construct_object(node, deep)
