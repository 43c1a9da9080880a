"""What the operator reads: the command line, the database, settings, `newsbot serve`'s start
and log, `POST /ingest`, installs and `newsbot workspaces`."""

# The database.
DB_UPGRADED = "Database {url} is at schema revision {revision}, the newest."

DB_BEHIND = (
    "Database {url} is at schema revision {current}, but this newsbot needs {head}. "
    "Run 'newsbot db upgrade'."
)
BAD_DATABASE_URL = (
    "DATABASE_URL is not a database URL: use sqlite:///PATH for a SQLite file or "
    "postgresql://USER@HOST:5432/DB for PostgreSQL."
)
UNSUPPORTED_DATABASE_URL = (
    "DATABASE_URL {url} names a database or driver newsbot does not use: use sqlite:///PATH "
    "for a SQLite file or postgresql://USER@HOST:5432/DB for PostgreSQL."
)
DB_UNREACHABLE = "Cannot open database {url}: {error}"
DB_DAMAGED = "Database {url} is damaged ({error}): run 'newsbot db check' to see what to do."
DB_DAMAGED_NOTICED = (
    "Database {url} is damaged ({error}); answers and deliveries that need the damaged part "
    "fail. Run 'newsbot db check' to see what to do."
)
DB_INTACT_SQLITE = "Database {url} is intact: SQLite's integrity check found no problems."
DB_INTACT_POSTGRES = "Database {url} answers, and each of newsbot's tables can be read through."
DB_DAMAGED_SQLITE = "Database {url} is damaged. SQLite's integrity check says:"
DB_DAMAGED_POSTGRES = "Database {url} could not be read through:"
_REBUILD_STEPS = (
    "    newsbot subscriptions export > subscriptions.json    (saves what can still be read)\n"
    "{move}"
    "    newsbot ingest\n"
    "    newsbot subscriptions import subscriptions.json\n"
    "  The posts already read count as sent, so no channel gets them again. What is lost is\n"
    "  the record of each message sent (an edited post no longer updates it), and, if the\n"
    "  export failed, the subscriptions: subscribed channels then subscribe again."
)
DB_REPAIR_SQLITE = (
    "What to do, with every newsbot process stopped:\n"
    "- Restore the newest backup: put it in place as {file} and delete {file}-wal and\n"
    "  {file}-shm if they are there (see Backups in docs/operations.md).\n"
    "- Or rebuild the store from the posts directory ({posts_dir}), which holds every post:\n"
    + _REBUILD_STEPS.replace(
        "{move}", "    mv {file} {file}.damaged    (and its -wal and -shm files, if there)\n"
    )
)
DB_REPAIR_POSTGRES = (
    "What to do, with every newsbot process stopped:\n"
    "- Restore the newest backup with PostgreSQL's tools (pg_restore, or a base backup).\n"
    "- Or rebuild the store from the posts directory ({posts_dir}), which holds every post:\n"
    + _REBUILD_STEPS.replace("{move}", "    newsbot db downgrade base && newsbot db upgrade\n")
)
DB_CHECK_UNFINISHED = (
    "SQLite's check of the database did not finish within {seconds:g} seconds, so newsbot starts "
    "without it: run 'newsbot db check' for a full one."
)
DB_MISSING = "Database {url} does not exist yet; newsbot creates it when it first needs it."
DB_AT = "Database {url} is at schema revision {revision}."

# The command line.
CLI_DESCRIPTION = "newsbot: news summaries for Slack, from markdown posts in a SQL store."
HELP_VERBOSE = "log what newsbot is doing"
HELP_INGEST = "read post files into the store (default: NEWSBOT_POSTS_DIR)"
HELP_LATEST = "list the newest posts in the store"
HELP_DB = "the database: its schema, and whether it is intact"
HELP_DB_UPGRADE = "apply migrations (default: up to the newest)"
HELP_DB_DOWNGRADE = "undo migrations down to REVISION ('base' empties the database)"
HELP_DB_CURRENT = "show the schema revision the database is at"
HELP_DB_CHECK = "check that the database is intact; if it is not, say what is wrong and what to do"
HELP_DB_TO = "the revision to migrate to (default: head, the newest)"
HELP_DB_BACK_TO = "the revision to go back to ('base': before the first)"
HELP_INGEST_PATHS = (
    "post files, or directories searched for *.md files (default: NEWSBOT_POSTS_DIR)"
)
HELP_LATEST_LIMIT = "how many posts to list (default 10)"
HELP_LATEST_CATEGORY = "only posts in this category (case does not matter)"
HELP_ASK_TEXT = (
    "what to ask: '/news …' is answered as the slash command, other text as a direct message"
)
HELP_PREVIEW_FILES = "post files (markdown with front matter), or directories of them"
NOT_A_POSITIVE_NUMBER = "{value!r} is not a positive whole number"

# `newsbot ask`, `preview` and `serve` at start.
POSTS_DIR_MISSING = (
    "Posts directory {path} does not exist; answering from the posts already in the store. "
    "Set NEWSBOT_POSTS_DIR to read another."
)
HELP_ASK = "answer TEXT as the bot would in Slack ('/news latest', or a DM like 'latest politics')"
HELP_PREVIEW = "show the TL;DR card each post file (or each post in a directory) would get in Slack"
HELP_CHANNEL = (
    "act in this real channel (with --team): subscribe, pause and the like are saved for it; "
    "without it nothing about channels is read or changed"
)
HELP_ASK_TEAM = "the workspace of --channel (the T… in the channel's link)"
ASK_CHANNEL_NEEDS_TEAM = "--channel needs --team, the channel's workspace (T…), and the reverse"
NOT_A_SLACK_ID = "{value!r} is not a Slack {kind} id (like {example})"
HELP_JSON = "print the message payload (text and blocks) exactly as it would be sent to Slack"
HELP_PREVIEW_JSON = (
    "print each post's message payload exactly as it would be sent to Slack, one JSON object "
    "a line (JSON Lines), in the order the files are given"
)
HELP_FULL = "include the whole summary, as the Full summary button does"
PREVIEW_REJECTED = "rejected {path}: {reason}"

# Settings that stop `newsbot serve` before it starts: one sentence each, naming the setting.
BAD_SETTING = "{name} is not valid: {problem}."
BAD_PORT = "PORT {value!r} is not a port number: use a whole number from 1 to 65535."
BAD_LOG_LEVEL = "LOG_LEVEL {value!r} is not a level: use DEBUG, INFO, WARNING, ERROR or CRITICAL."
BAD_LOG_FORMAT = "LOG_FORMAT {value!r} is not a format: use text or json."
BAD_API_URL = "SLACK_API_URL {value!r} is not an http(s) URL such as https://slack.com/api/."
MISSING_BOT_TOKEN = (
    "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
    "OAuth & Permissions page (or, to install into many workspaces, set SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET instead)."
)
BOTH_MODES = (
    "SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (installs into "
    "many workspaces) are both set: unset one or the other."
)
HALF_CLIENT_PAIR = (
    "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together, and {missing} is not set: copy both "
    "from your Slack app's Basic Information page."
)
MULTI_NEEDS_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set: installing into many workspaces (SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET) needs the Signing Secret from your Slack app's Basic Information page."
)
BAD_SCOPES = (
    "SLACK_SCOPES names no scope: leave it unset for app.yaml's scopes, or give a "
    "comma-separated list such as commands,chat:write."
)
BAD_BOT_TOKEN = (
    "SLACK_BOT_TOKEN does not start with 'xoxb-': use the Bot User OAuth Token from your Slack "
    "app's OAuth & Permissions page, not a user or app-level token."
)
MISSING_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set: HTTP mode needs the Signing Secret from your Slack app's "
    "Basic Information page (or run 'newsbot serve --socket')."
)
MISSING_APP_TOKEN = (
    "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...) with the "
    "connections:write scope, made on your Slack app's Basic Information page."
)
BAD_APP_TOKEN = (
    "SLACK_APP_TOKEN does not start with 'xapp-': Socket Mode needs an app-level token with the "
    "connections:write scope, made on your Slack app's Basic Information page."
)
BOT_TOKEN_REFUSED = "Slack refused SLACK_BOT_TOKEN ({error}): copy a current Bot User OAuth Token."
APP_TOKEN_REFUSED = "Slack refused SLACK_APP_TOKEN ({error}): make a new app-level token."
NO_SOCKET_URL = (
    "Slack answered apps.connections.open without a websocket URL: check that SLACK_API_URL "
    "({url}) is Slack's Web API."
)
SLACK_UNREACHABLE = "Cannot reach the Slack Web API at SLACK_API_URL {url}: {error}."
CANNOT_LISTEN = "Cannot listen on {host}:{port} ({error}): set PORT to a free port."

# `newsbot serve`.
SERVE_SETTINGS = """settings, from the environment or a .env file (the README's Configuration):
  SLACK_BOT_TOKEN               one workspace: the Bot User OAuth Token, xoxb-…
  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET
                                many workspaces: the install flow (instead of the bot token)
  SLACK_SCOPES                  many workspaces: the bot scopes the install asks for
  SLACK_SIGNING_SECRET          checks that requests come from Slack (HTTP mode, many workspaces)
  SLACK_APP_TOKEN               an app-level token, xapp-… (required with --socket)
  SLACK_API_URL                 the Slack Web API (default https://slack.com/api/)
  DATABASE_URL                  the store (default sqlite+aiosqlite:///newsbot.db)
  NEWSBOT_POSTS_DIR             the posts directory, read at start and watched (default posts)
  PORT                          the port to listen on (default 3000)
  NEWSBOT_INGEST_TOKEN          the bearer token for POST /ingest (unset: it refuses all)
  NEWSBOT_ANSWER_CACHE_SECONDS  how long an answer the same for everyone is reused (default 2)
  NEWSBOT_SUBSCRIBE_POLICY      who may change subscriptions: anyone (default), admins, or
                                a comma-separated list of user ids
  NEWSBOT_SOURCE_INTERVAL       seconds between two fetches of each source (default 300)
  NEWSBOT_SOURCES_DIR           where each source's files are kept (default sources)
  NEWSBOT_FIELD_ALIASES         other front-matter names for post fields (headline=title, …)
  LOG_LEVEL                     the level of newsbot's log lines (default INFO for serve)
  LOG_FORMAT                    text (default), or json: one JSON object a line
  NEWSBOT_METRICS               1: answer GET /metrics in Prometheus text format"""
HELP_SERVE = "answer Slack: HTTP mode on PORT, or Socket Mode with --socket"
HELP_SOCKET = "connect to Slack over Socket Mode (needs SLACK_APP_TOKEN) instead of HTTP"
HELP_HOST = "the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)"
SERVING_HTTP = "newsbot is answering Slack at {url} (health: {health}/healthz). Ctrl-C stops it."
# `newsbot serve`'s log: said once at start, and when a request claiming to be Slack's is refused.
LOG_STARTING = (
    "newsbot serve: {mode}, database {database}, posts directory {posts_dir}, "
    "metrics {metrics}, log level {level}"
)
LOG_REFUSED_REQUEST = "refused a request to /slack/events from {peer}: {reason}"
SERVING_SOCKET = (
    "newsbot is connected to Slack over Socket Mode (health: {url}/healthz). Ctrl-C stops it."
)

# POST /ingest.
UPLOAD_UNAUTHORIZED = (
    "Send the post with 'Authorization: Bearer TOKEN', TOKEN being NEWSBOT_INGEST_TOKEN."
)
UPLOAD_DISABLED = "POST /ingest is switched off: set NEWSBOT_INGEST_TOKEN on the server to use it."
UPLOAD_BAD_NAME = (
    "{name!r} is not a post file name: use letters, digits, '.', '-' and '_', ending in .md"
)
UPLOAD_NAME_TOO_LONG = (
    "The file name {name!r} is {size:,} bytes long; a post's file name may have at most {limit} "
    "bytes (UTF-8)"
)
UPLOAD_EMPTY = "The request has no body: send the post's markdown, front matter first."

# Multi-workspace mode: installing, and a workspace that has not installed newsbot.
NOT_INSTALLED_REPLY = (
    "newsbot is not installed in this workspace (or was uninstalled): ask a workspace admin to "
    "add it again through its install page."
)
INSTALL_SUCCESS_TITLE = "newsbot is installed"
INSTALL_SUCCESS = (
    "newsbot is now installed in {workspace}. Type <code>/news help</code> in any channel, or "
    "<code>/news subscribe Politics</code> in a channel to have new posts sent there."
)
INSTALL_FAILED_TITLE = "newsbot was not installed"
INSTALL_FAILURES = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed. To try "
    "again, open this server's /slack/install page.",
    "invalid_browser": "This install could not be checked: it was not started from this "
    "server's /slack/install page in this browser (or the page was reloaded). Nothing was "
    "installed; start again at /slack/install.",
    "invalid_state": "This install link has expired or was already used, so nothing was "
    "installed; start again at /slack/install.",
    "missing_code": "Slack did not send the install code, so nothing was installed; start again "
    "at /slack/install.",
    "invalid_code": "Slack did not accept the install code (it expired, was already used, or "
    "the app's client id and secret do not match), so nothing was installed; start again at "
    "/slack/install.",
    "storage_error": "newsbot could not save the install, so nothing was installed; try again "
    "later, or tell whoever runs this newsbot.",
}
INSTALL_FAILED_OTHER = (
    "Slack ended the install with <code>{reason}</code>, so nothing was installed; start again "
    "at /slack/install."
)
NO_HISTORY_SCOPES = (
    "Without the {scopes} scope(s), newsbot cannot look up after a crash whether a post that "
    "was being sent reached its channel: such a post is marked failed, never sent twice (at "
    "most once); add the scopes to deliver it exactly once."
)

# `newsbot workspaces`.
HELP_WORKSPACES = "list the Slack workspaces newsbot is installed in (multi-workspace mode)"
HELP_WORKSPACES_REMOVE = "forget a workspace (team id, or org id): what an uninstall does"
WORKSPACES_NONE = (
    "No workspace has installed newsbot through /slack/install yet (with SLACK_BOT_TOKEN, "
    "newsbot serves that token's one workspace and keeps no installations)."
)
WORKSPACE_LINE = (
    "{key}  {name}  {kind}, installed {installed}  {channels} subscribed channel(s)  last "
    "delivery {last}  token expires {expires}"
)
WORKSPACE_REMOVED = "Removed workspace {key}: its installation, subscriptions and deliveries."
WORKSPACE_UNKNOWN = "No workspace {key} is installed: `newsbot workspaces` lists them."

# The delivery ledger's note on a post whose crash-recovery lookup waits (shown by /news status).
HISTORY_TURN = (
    "waiting for Slack's allowance of one history lookup a minute in this workspace, to check "
    "whether it was delivered before a restart"
)
DELETE_NEEDS_NAME = "Say which post file to delete: DELETE /ingest?name=FILE.md"
DELETE_NO_FILE = "There is no post file {name!r} in the posts directory."
