"""The emulator's OAuth side: workspaces that approve an install (``approve`` hands out the code
Slack would put in the redirect), ``oauth.v2.access`` for codes and refresh tokens, and the bot
tokens it issued, each belonging to its workspace, which can expire (token rotation) or die
(an uninstall, a deactivated workspace)."""

import base64
import itertools
import time
from dataclasses import dataclass
from typing import Any

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "emulated-client-secret"
APP_ID = "A0NEWSBOT"
GRANTED_SCOPES = (
    "commands,chat:write,chat:write.public,app_mentions:read,im:history,im:write,users:read,"
    "channels:history,groups:history"
)
Params = dict[str, Any]


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace, or with ``org_wide`` an Enterprise Grid org installing org-wide."""

    team_id: str | None
    name: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide: bool = False

    @property
    def key(self) -> str:
        return (self.enterprise_id if self.org_wide else self.team_id) or ""


@dataclass
class Issued:
    workspace: Workspace
    expires_at: float | None
    dead: str = ""  # the error Slack answers to this token, once it is dead


class OAuthServer:
    """Install codes, refresh tokens and bot tokens, as Slack's OAuth keeps them."""

    def __init__(self) -> None:
        self.codes: dict[str, Workspace] = {}
        self.tokens: dict[str, Issued] = {}
        self.refresh_tokens: dict[str, Workspace] = {}
        # Seconds a new token lives (Slack's token rotation); None: tokens never expire.
        self.token_lifetime: int | None = None
        self._serial = itertools.count(1)

    def approve(self, workspace: Workspace) -> str:
        """An admin clicked Allow: the code Slack sends to the redirect URL."""
        code = f"code-{workspace.key}-{next(self._serial)}"
        self.codes[code] = workspace
        return code

    def tokens_of(self, workspace: Workspace) -> list[str]:
        return [token for token, issued in self.tokens.items() if issued.workspace == workspace]

    def expire_all(self) -> None:
        """Every token issued so far is past its expiry, as twelve hours later."""
        for issued in self.tokens.values():
            issued.dead = issued.dead or "token_expired"

    def deactivate(self, workspace: Workspace, error: str = "account_inactive") -> None:
        for token in self.tokens_of(workspace):
            self.tokens[token].dead = error

    def token_problem(self, token: str) -> str:
        issued = self.tokens.get(token)
        if issued is None:
            return ""
        if issued.expires_at is not None and issued.expires_at < time.time():
            return "token_expired"
        return issued.dead

    def workspace_of(self, token: str) -> Workspace | None:
        issued = self.tokens.get(token)
        return issued.workspace if issued else None

    def access(self, params: Params, authorization: str) -> Params:
        """``oauth.v2.access``: a code (an install) or a refresh token (rotation)."""
        if _client(authorization, params) != (CLIENT_ID, CLIENT_SECRET):
            return {"ok": False, "error": "invalid_client_id"}
        if params.get("grant_type") == "refresh_token":
            workspace = self.refresh_tokens.get(str(params.get("refresh_token")))
            return self._grant(workspace, "invalid_refresh_token")
        return self._grant(self.codes.pop(str(params.get("code")), None), "invalid_code")

    def _grant(self, workspace: Workspace | None, error: str) -> Params:
        if workspace is None:
            return {"ok": False, "error": error}
        token = f"xoxb-{workspace.key}-{next(self._serial)}"
        lifetime = self.token_lifetime
        self.tokens[token] = Issued(workspace, time.time() + lifetime if lifetime else None)
        answer = _installation(workspace, token)
        if lifetime:
            refresh = f"xoxe-1-{workspace.key}-{next(self._serial)}"
            self.refresh_tokens[refresh] = workspace
            answer |= {"refresh_token": refresh, "expires_in": lifetime}
        return answer


def _client(authorization: str, params: Params) -> tuple[str, str]:
    scheme, _, encoded = authorization.partition(" ")
    if scheme == "Basic":
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id, secret
    return str(params.get("client_id", "")), str(params.get("client_secret", ""))


def bot_user_id(workspace: Workspace) -> str:
    return f"U0BOT{workspace.key}"


def _installation(workspace: Workspace, token: str) -> Params:
    team = None if workspace.org_wide else {"id": workspace.team_id, "name": workspace.name}
    enterprise = (
        {"id": workspace.enterprise_id, "name": workspace.enterprise_name}
        if workspace.enterprise_id
        else None
    )
    return {
        "ok": True,
        "access_token": token,
        "token_type": "bot",
        "scope": GRANTED_SCOPES,
        "bot_user_id": bot_user_id(workspace),
        "app_id": APP_ID,
        "team": team,
        "enterprise": enterprise,
        "is_enterprise_install": workspace.org_wide,
        "authed_user": {"id": "U0INSTALLER"},
    }


def identity(workspace: Workspace) -> Params:
    """``auth.test`` for a token issued to ``workspace``."""
    return {
        "ok": True,
        "url": f"https://{(workspace.team_id or workspace.key).lower()}.slack.com/",
        "team": workspace.name,
        "user": "newsbot",
        "team_id": workspace.team_id,
        "enterprise_id": workspace.enterprise_id,
        "user_id": bot_user_id(workspace),
        "bot_id": f"B0{workspace.key}",
        "is_enterprise_install": workspace.org_wide,
    }
