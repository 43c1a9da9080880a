"""app.yaml, the Slack app manifest: valid by Slack's schema, and asking for what newsbot uses."""

import copy
import json
from typing import Any

import jsonschema
import pytest
import yaml

from bot.runtime.settings import Settings
from bot.runtime.web import EVENTS_PATH
from bot.slack.listeners.commands import COMMAND
from tests.conftest import REPO

SCHEMA = REPO.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"
Manifest = dict[str, Any]


@pytest.fixture
def manifest() -> Manifest:
    loaded: Manifest = yaml.safe_load((REPO / "app.yaml").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def validator() -> jsonschema.Draft7Validator:
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA}; app.yaml not schema-checked")
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def socket_mode_variant(manifest: Manifest) -> Manifest:
    """What the README tells a Socket Mode operator to change."""
    variant = copy.deepcopy(manifest)
    variant["settings"]["socket_mode_enabled"] = True
    del variant["settings"]["event_subscriptions"]["request_url"]
    del variant["settings"]["interactivity"]["request_url"]
    for command in variant["features"]["slash_commands"]:
        del command["url"]
    return variant


def test_app_yaml_is_valid_for_slack(manifest: Manifest, validator: Any) -> None:
    errors = [error.message for error in validator.iter_errors(manifest)]
    assert errors == []


def test_the_socket_mode_variant_is_valid_too(manifest: Manifest, validator: Any) -> None:
    errors = [error.message for error in validator.iter_errors(socket_mode_variant(manifest))]
    assert errors == []


def test_the_schema_catches_a_broken_manifest(manifest: Manifest, validator: Any) -> None:
    """The check above can fail: a command without its slash is refused."""
    broken = copy.deepcopy(manifest)
    broken["features"]["slash_commands"][0]["command"] = "news"
    assert list(validator.iter_errors(broken))


def test_the_manifest_asks_for_what_newsbot_uses(manifest: Manifest) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["usage_hint"]
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert home["messages_tab_read_only_enabled"] is False  # people can DM the bot
    assert manifest["features"]["bot_user"]["display_name"] == "newsbot"
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "message.im",
    }
    assert settings["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history", "im:write"} <= scopes
    assert "users:read" in scopes


def test_every_request_url_is_the_bots_events_route(manifest: Manifest) -> None:
    settings = manifest["settings"]
    urls = [
        manifest["features"]["slash_commands"][0]["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)


def _multi() -> Manifest:
    loaded: Manifest = yaml.safe_load(
        (REPO / "app.multi-workspace.yaml").read_text(encoding="utf-8")
    )
    return loaded


def test_the_multi_workspace_manifest_is_valid_for_slack(validator: Any) -> None:
    assert [error.message for error in validator.iter_errors(_multi())] == []


def test_the_multi_workspace_manifest_differs_only_where_the_readme_says(
    manifest: Manifest,
) -> None:
    multi = _multi()
    assert multi["oauth_config"].pop("redirect_urls") == [
        "https://newsbot.example.com/slack/oauth_redirect"
    ]
    events = multi["settings"]["event_subscriptions"]["bot_events"]
    assert events[-2:] == ["app_uninstalled", "tokens_revoked"]
    del events[-2:]
    assert multi["settings"].pop("token_rotation_enabled") is True
    assert multi["settings"].pop("org_deploy_enabled") is True
    del manifest["settings"]["token_rotation_enabled"], manifest["settings"]["org_deploy_enabled"]
    assert multi == manifest


def test_slack_scopes_defaults_to_the_manifests_scopes(manifest: Manifest) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_scopes.split(",") == manifest["oauth_config"]["scopes"]["bot"]
