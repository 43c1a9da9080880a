"""Blocks become the JSON slack_sdk's own ``to_dict`` makes of them, and invalid ones still
raise as slack_sdk's validators say."""

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RichTextBlock,
    RichTextElementParts,
    RichTextSectionElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.blocks.basic_components import DispatchActionConfig

from bot.slack.blocks.serialise import as_json

BLOCKS: list[Block] = [
    SectionBlock(
        text=MarkdownTextObject(text="*bold* <https://example.com|x>", verbatim=True),
        accessory=ButtonElement(text="Open", action_id="show_post", value="id-1"),
    ),
    SectionBlock(fields=[MarkdownTextObject(text="a"), MarkdownTextObject(text="b")]),
    ContextBlock(elements=[MarkdownTextObject(text="Latest · 1–5", verbatim=True)]),
    ActionsBlock(
        elements=[
            ButtonElement(text="Next 5", action_id="next", value="latest 5|5", style="primary"),
            ButtonElement(
                text="Share",
                action_id="share",
                confirm=ConfirmObject(title="Share?", text="Everyone sees it."),
            ),
            StaticSelectElement(
                action_id="pick", options=[Option(value="1", label="One")], placeholder="Pick"
            ),
        ]
    ),
    HeaderBlock(text="Categories"),
    DividerBlock(),
    ImageBlock(image_url="https://example.com/a.png", alt_text="a picture"),
    RichTextBlock(
        elements=[
            RichTextSectionElement(elements=[]),  # an empty list Block Kit allows here
            RichTextSectionElement(
                elements=[RichTextElementParts.Text(text="hi", style={"bold": True})]
            ),
        ]
    ),
    InputBlock(
        label="Words",
        element=PlainTextInputElement(
            action_id="words",
            dispatch_action_config=DispatchActionConfig(trigger_actions_on=["on_enter_pressed"]),
        ),
        dispatch_action=True,
    ),
]


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: type(block).__name__)
def test_a_block_is_what_slack_sdk_makes_of_it(block: Block) -> None:
    assert as_json(block) == block.to_dict()


def test_an_invalid_block_raises_as_slack_sdk_does() -> None:
    too_long = SectionBlock(text=MarkdownTextObject(text="x" * 3001))
    with pytest.raises(SlackObjectFormationError):
        too_long.to_dict()
    with pytest.raises(SlackObjectFormationError):
        as_json(too_long)


def test_an_invalid_element_inside_a_block_raises() -> None:
    actions = ActionsBlock(elements=[ButtonElement(text="x" * 100, action_id="a")])
    with pytest.raises(SlackObjectFormationError):
        as_json(actions)


def test_a_class_seen_before_is_still_validated_and_collected_anew() -> None:
    """What is worked out once a class (its validators, its attributes) serves every object of
    it, whatever each one holds."""
    first = SectionBlock(text=MarkdownTextObject(text="first"), block_id="a")
    second = SectionBlock(fields=[MarkdownTextObject(text="b")])
    assert as_json(first) == first.to_dict()
    assert as_json(second) == second.to_dict()
    with pytest.raises(SlackObjectFormationError):
        as_json(SectionBlock(text=MarkdownTextObject(text="x" * 3001), block_id="a"))
