"""NEWSBOT_SUBSCRIBE_POLICY: who may change a channel's subscriptions."""

import pytest
from pydantic import ValidationError

from bot.news.context import SubscribePolicy
from bot.runtime.settings import Settings


class Workspace:
    """People as Slack would describe them: here, U_ADMIN is an admin."""

    async def is_admin(self, team_id: str, user_id: str) -> bool:
        return user_id == "U_ADMIN"

    async def time_zone(self, team_id: str, user_id: str) -> str | None:
        return None


def test_default_lets_anyone_change_a_channel() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.subscribe_policy == "anyone"


@pytest.mark.parametrize(
    ("value", "stored"),
    [("Admins", "admins"), (" anyone ", "anyone"), ("U123ABC, W999XYZ", "U123ABC,W999XYZ")],
)
def test_settings_accept_the_three_forms(value: str, stored: str) -> None:
    settings = Settings(_env_file=None, NEWSBOT_SUBSCRIBE_POLICY=value)  # type: ignore[call-arg]
    assert settings.subscribe_policy == stored


@pytest.mark.parametrize("value", ["admin", "everyone", "u123", "", ",", "U1 U2"])
def test_a_bad_policy_names_the_setting(value: str) -> None:
    with pytest.raises(ValidationError, match="NEWSBOT_SUBSCRIBE_POLICY must be"):
        Settings(_env_file=None, NEWSBOT_SUBSCRIBE_POLICY=value)  # type: ignore[call-arg]


async def test_each_policy_decides() -> None:
    people = Workspace()
    anyone = SubscribePolicy.parse("anyone")
    admins = SubscribePolicy.parse("admins")
    listed = SubscribePolicy.parse("U_ONE,U_TWO")
    assert await anyone.allows(people, "T1", "U_SOMEONE")
    assert await admins.allows(people, "T1", "U_ADMIN")
    assert not await admins.allows(people, "T1", "U_SOMEONE")
    assert await listed.allows(people, "T1", "U_TWO")
    assert not await listed.allows(people, "T1", "U_ADMIN")
