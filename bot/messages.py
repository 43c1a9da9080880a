"""Every sentence newsbot says to a person, in one place so wording and tone stay consistent.

Plain templates, filled with ``str.format``; this module imports nothing from the project.
"""

# Why a file is not a post. Each is one line; the file's path is put before it.
TOO_LARGE = "file is {size:,} bytes, over the {limit:,}-byte limit for a post"
BINARY = "binary file (contains NUL bytes), not a markdown post"
NOT_UTF8 = "not UTF-8 text (byte 0x{byte:02x} at offset {offset})"
UNREADABLE_FILE = "cannot read: {error}"
NO_FRONT_MATTER = "no front matter: a post must start with a '---' line, then YAML, then '---'"
UNCLOSED_FRONT_MATTER = "front matter is never closed: add a '---' line after the YAML"
BAD_YAML = "invalid YAML in the front matter: {problem}"
BAD_YAML_AT = "invalid YAML in the front matter, line {line}: {problem}"
DEEP_YAML = "front matter nests too deeply to read"
NOT_A_MAPPING = "front matter is {kind}, not a list of 'field: value' lines"
NO_TITLE = "no title: add 'title: \"...\"' to the front matter"
TITLE_NOT_TEXT = "title is {kind}, not text"
TITLE_HAS_NO_WORDS = "title {title!r} has no letters or digits to make an id from"
NO_DATE = "no date: add 'date: YYYY-MM-DD HH:MM:SS' or name the file YYYY-MM-DD-slug.md"
BAD_DATE = (
    "unreadable date {value!r}: use 'YYYY-MM-DD HH:MM:SS', optionally with an offset like +0900"
)
DUPLICATE_ID = "post id {post_id!r} is already taken by {other}; rename one of the two files"

# Fields that were dropped while the rest of the post was kept.
SCORE_OUT_OF_RANGE = "sentiment_score {value!r} is outside {low:g}..{high:g}; dropped"
SCORE_UNREADABLE = "sentiment_score {value!r} is not a number; dropped"
NOT_A_LINK = "{field} {value!r} is not an http(s) URL; dropped"
IGNORED_FIELD = "{field} is {kind}, not text; ignored"
IMAGE_NOT_HTTPS = "image {value!r} is not an https URL; not shown"
BAD_FIELD_ALIAS = (
    "{pair!r} is not NAME=FIELD with FIELD one of {fields} "
    "(for example summary=tldr, publisher=source)"
)

# The ingest summary.
INGEST_SUMMARY = (
    "{new} new, {updated} updated, {unchanged} unchanged, {removed} removed, {rejected} rejected"
)
INGEST_REJECTED = "rejected {path}: {reason}"
INGEST_WARNING = "warning {path}: {warning}"
INGEST_NOTHING_FOUND = "no posts found in {paths} (looked for *.md and *.markdown files)"
INGEST_PROGRESS = "Reading posts"
# `newsbot serve` reading the posts directory in the background while it answers.
CATCHING_UP_PROGRESS = "catching up with the posts directory: {read} of {to_read} files read"
CAUGHT_UP = "caught up with the posts directory: {new} new, {updated} updated"

# Listing posts on the command line.
LATEST_EMPTY = "No posts yet. Run 'newsbot ingest' to read the posts directory ({posts_dir})."

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

# Search: reading the query.
SEARCH_EMPTY = (
    'Tell me what to look for: words, a "quoted phrase", or a filter such as '
    "category:business, since:7d or sentiment:positive."
)
SEARCH_TOO_LONG = 'That search has too many words: use at most {limit}, or a "quoted phrase".'
SEARCH_BAD_CATEGORY = "{key}: needs a name, for example {key}:business."
SEARCH_BAD_DATE = (
    "I can't read the date in {key}:{value}. Write a day like {key}:2026-01-31 "
    "or a time ago like {key}:7d (h, d, w, m or y)."
)
SEARCH_BAD_SENTIMENT = (
    "I can't read sentiment:{value}. Use sentiment:positive, neutral or negative, "
    "or a score from 0 to 10 such as sentiment:>=7."
)
SEARCH_EMPTY_RANGE = "since: is not before until:, so no post could match. Widen the dates."
SEARCH_NO_VALUE = "{key} needs a value after the colon, for example category:business or since:7d."

# The command grammar, as people meet it in Slack and in `newsbot ask`.
HELP_INTRO = "newsbot brings you news summaries. Type `/news` and one of these:"
VERB_HELP = ("help", "This list.")
VERB_LATEST = ("latest [CATEGORY] [N]", "The newest summaries, optionally in one category.")
VERB_CATEGORIES = ("categories", "Every category, with its number of posts and newest date.")
VERB_SHOW = ("show ID [full]", "One summary as a TL;DR card; `full` adds the whole summary.")
UNKNOWN_VERB = "I don't know `{verb}`. {hint}"
UNKNOWN_COMMAND = "newsbot has no `{command}` command; its command is `/news`: try `/news help`."
LATEST_NONE = "`latest {number}` asks for no posts: give a number from 1 to {most}."
UNKNOWN_VERB_SUGGESTION = "Did you mean `{suggestion}`?"
UNKNOWN_VERB_LIST = "Try {verbs}, or `help`."
UNKNOWN_CATEGORY = "No category '{category}'. {hint}"
CATEGORY_SUGGESTION = "Did you mean {suggestion}?"
CATEGORY_LIST = "Categories: {known}."
NO_CATEGORIES = "There are no posts yet, so no categories either."
NO_POSTS = "There are no posts yet."
NO_POSTS_IN = "No posts in {category} yet."
LATEST_HEADING = "Latest"
LATEST_IN_HEADING = "Latest in {category}"
SHOW_NEEDS_ID = "Which post? Use `show ID`; ids are shown under each headline in `latest`."
SHOW_NOT_FOUND = "No post with id `{post_id}`. {hint}"
SHOW_SIMILAR = "Similar ids: {ids}."
SHOW_NOTHING_SIMILAR = "Try `latest` or `search` to find it."
TOO_MANY_NUMBERS = "`latest` takes at most one number (how many to show), not {numbers}."

# Slack cards and lists.
BUTTON_READ_SOURCE = "Read source"
BUTTON_READ_AT = "Read on {source}"  # the post's source: its ``source:`` field or the link's host
BYLINE_AUTHOR = "by {author}"
BYLINE_TAGS = "tags: {tags}"
BUTTON_FULL_SUMMARY = "Full summary"
BUTTON_SHARE = "Share in channel"
BUTTON_OPEN = "Open"
BUTTON_NEXT = "Next {count}"
LIST_POSITION = "{first}–{last} of {total}"
LIST_RANGE = "{first}–{last}"
LIST_EMPTY = "Nothing to show."
CARD_FALLBACK = "{title} ({categories}, {date})"
LIST_FALLBACK = "{heading}: {titles}"
TLDR_MORE = "…and {count} more"
BODY_SHORTENED = "The summary is shortened here to fit in Slack; the source has the whole story."
SHARED_BY = "Shared by <@{user_id}>"
CATEGORY_ROW = "{name}: {count} {posts}, newest {date}"
POST_COUNT_WORDS = ("post", "posts")
CATEGORIES_HEADING = "Categories"
CATEGORIES_MORE = "…and {count} more categories"
HOME_HEADING = "Latest headlines"
HOME_EMPTY = "No posts yet. They appear here as soon as newsbot reads its posts directory."
HOME_HINT = "Type `/news help` anywhere, or message me here, for more."
ERROR_REPLY = (
    "Sorry, something went wrong on my side and I could not answer that. Please try again."
)

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

# Channel auto-posts (the delivery engine).
NEW_POSTS_HEADING = "{count} new posts"
NEW_POSTS_FALLBACK = "{count} new posts: {titles}"
CHANNEL_PAUSED_DM = (
    "I stopped posting news to <#{channel_id}>, which you subscribed: {why} "
    "Once that is fixed, type `/news resume` in the channel and new posts will come again."
)
CHANNEL_PAUSE_REASONS = {
    "not_in_channel": "I'm not a member of it any more. Invite me back with `/invite @newsbot`.",
    "channel_not_found": "I can't find it; it was deleted, or it is private and I'm not in it.",
    "is_archived": "it was archived. Unarchive it first.",
}
CHANNEL_PAUSED_OTHER = "Slack refused with `{reason}`."

# Subscriptions: settings.
BAD_SUBSCRIBE_POLICY = (
    "NEWSBOT_SUBSCRIBE_POLICY must be 'anyone', 'admins' or a comma-separated list of Slack "
    "user ids such as U012AB3CD; got {value!r}"
)

# Subscriptions: what people typed that newsbot cannot use.
DIGEST_UNREADABLE = (
    "'{text}' is not a digest time: use digest:daily@09:00, digest:weekly@mon09:00 or digest:none"
)
DIGEST_BAD_TIME = "'{text}' is not a time of day: use 24-hour HH:MM, from 00:00 to 23:59"
DIGEST_BAD_DAY = "'{day}' is not a day of the week: use mon, tue, wed, thu, fri, sat or sun"
SENTIMENT_UNREADABLE = (
    "'{text}' is not a sentiment filter: use sentiment:>=N with N from 0 to 10, e.g. sentiment:>=6"
)
SUBSCRIBE_NO_CATEGORY = (
    "Say which categories: /news subscribe Politics, Science (or /news subscribe all). {known}"
)
UNSUBSCRIBE_USAGE = "Say which category to stop: /news unsubscribe CATEGORY (or all)."

# Subscriptions: the verbs.
VERB_SUBSCRIBE = (
    "subscribe CATEGORY[, CATEGORY…] [sentiment:>=N] [digest:daily@HH:MM] [thread:on] "
    "[keywords…] [-excluded…]",
    "Post new summaries in these categories (or `all`) here; with nothing after it, a form.",
)
VERB_UNSUBSCRIBE = ("unsubscribe CATEGORY|all", "Stop posting a category (or every one) here.")
VERB_SUBSCRIPTIONS = ("subscriptions", "What this channel is subscribed to.")
VERB_PAUSE = ("pause", "Stop posting to this channel until `resume`.")
VERB_RESUME = ("resume", "Post to this channel again.")
VERB_STATUS = ("status", "This channel's subscriptions, latest deliveries and any problem.")
SUBSCRIBED = "Subscribed this channel to {categories}."
SUBSCRIBED_INVITE = "newsbot can post only in channels it is in: `/invite @newsbot` if it is not."
UNSUBSCRIBED = "Unsubscribed this channel from {categories}."
NOT_SUBSCRIBED = "This channel is not subscribed to '{name}'. {hint}"
SUBSCRIBED_TO = "It is subscribed to: {names}."
NOTHING_SUBSCRIBED = "It has no subscriptions."
PAUSED_NOW = "Paused: newsbot will not post here until someone types `/news resume`."
RESUMED = "Resumed: newsbot posts new summaries here again."
RESUMED_AFTER_FAILURE = (
    "Resumed: newsbot had stopped posting here because Slack said `{reason}`; it will try again."
)
NOT_PAUSED = "This channel is not paused."
NO_CHANNEL = (
    "newsbot ask is in no channel, so nothing was changed. To change a real channel, name it "
    "and its workspace: --channel C0123ABCD --team T0123ABCD."
)
NO_CHANNEL_NAME = "no channel (newsbot ask without --channel)"
ASK_IN_CHANNEL = (
    "Answering in channel {channel} of workspace {team}: a change is saved for real, "
    "and newsbot serve acts on it."
)
REFUSED_ADMINS = (
    "Only workspace admins and owners can change this channel's subscriptions "
    "(this newsbot's NEWSBOT_SUBSCRIBE_POLICY is 'admins')."
)
REFUSED_USERS = (
    "Only the people listed in this newsbot's NEWSBOT_SUBSCRIBE_POLICY can change this channel's "
    "subscriptions. Ask one of them, or whoever runs newsbot."
)

# Subscriptions: how they are shown.
ALL_CATEGORIES_NAME = "All categories"
SUBSCRIPTIONS_HEADING = "Subscriptions in {channel}"
NO_SUBSCRIPTIONS = (
    "This channel has no subscriptions. Try `/news subscribe Politics`, or `/news subscribe` "
    "for a form."
)
FILTER_SENTIMENT = "sentiment ≥ {score:g}"
FILTER_KEYWORDS = "mentioning {keywords}"
DELIVERY_LIVE = "as they come"
DIGEST_DAILY = "daily digest at {time} ({zone})"
DIGEST_WEEKLY = "weekly digest on {day} at {time} ({zone})"
SUBSCRIBED_BY = "since {date}, by <@{user_id}>"
SUBSCRIBED_SINCE = "since {date}"
PAUSED_BY_PERSON = (
    ":double_vertical_bar: Paused by <@{user_id}> on {date}. `/news resume` starts it again."
)
PAUSED_BY_FAILURE = (
    ":warning: Paused on {date}: Slack said `{reason}` when newsbot posted here. {advice} "
    "Then type `/news resume`."
)
FAILURE_ADVICE = {
    "not_in_channel": "Invite newsbot back: `/invite @newsbot`.",
    "is_archived": "The channel is archived; unarchive it first.",
    "channel_not_found": "The channel was deleted, or it is private and newsbot is not in it.",
}
FAILURE_ADVICE_OTHER = "Check that newsbot can post here."
STATUS_HEADING = "Status of {channel}"
STATUS_RUNNING = ":white_check_mark: Delivering: nothing is paused or failing."
STATUS_DELIVERIES = "*Latest deliveries*"
STATUS_NO_DELIVERIES = "Nothing delivered here yet."
DELIVERY_ROW = "{title} · {state} · {date}"
HOME_SUBSCRIPTIONS_HEADING = "Channel subscriptions"
HOME_NO_SUBSCRIPTIONS = "No channel is subscribed yet. Type `/news subscribe` in a channel."
HOME_CHANNEL_ROW = "{channel}: {subscriptions}"
HOME_MORE_CHANNELS = "…and {count} more channels"
DIGEST_HEADING = "{kind}: {count} new {posts}"
DIGEST_PERIOD = "Published between {since} and {until}"
DIGEST_MORE = "…and {count} more, each in the thread."
DIGEST_THREAD_HINT = "Each summary's TL;DR card follows in this thread."

# Subscriptions: the form.
FORM_TITLE = "Subscribe this channel"
FORM_SUBMIT = "Subscribe"
FORM_CANCEL = "Cancel"
FORM_DONE_TITLE = "Subscriptions"
FORM_CLOSE = "Done"
FORM_INTRO = "New summaries in the categories you pick are posted to {channel}."
FORM_CATEGORIES = "Categories"
FORM_CATEGORIES_PLACEHOLDER = "Pick one or more"
FORM_SENTIMENT = "Only posts with a sentiment score of at least"
FORM_SENTIMENT_HINT = "0 to 10; leave empty for every post."
FORM_KEYWORDS = "Only posts mentioning one of these words"
FORM_KEYWORDS_HINT = 'Separate words with spaces or commas; "quote a phrase". Empty for every post.'
FORM_DELIVERY = "Delivery"
FORM_DELIVERY_LIVE = "Each post as it comes"
FORM_DELIVERY_DAILY = "A daily digest"
FORM_DELIVERY_WEEKLY = "A weekly digest"
FORM_DAY = "Digest day (weekly)"
FORM_TIME = "Digest time (your time zone)"
FORM_PICK_CATEGORY = "Pick at least one category."
FORM_BAD_SENTIMENT = "Use a number from 0 to 10."
FORM_PICK_DAY = "Pick the day for a weekly digest."
LIST_MORE_ROWS = "…and {count} more"

# Subscriptions: excluded words, threads, "why", export and import.
EXCLUDED_NOTHING = (
    'A dash on its own excludes nothing: put the word right after it, like -budget or -"rate cut".'
)
EXCLUDED_AND_INCLUDED = (
    "'{word}' is both wanted and excluded: keep it as a keyword or as -{word}, not both."
)
THREAD_UNREADABLE = "'{text}' is not a thread setting: use thread:on or thread:off."
FILTER_EXCLUDED = "not mentioning {words}"
FILTER_THREAD = "each in its own thread"
FORM_EXCLUDED = "Leave out posts mentioning any of these words"
FORM_EXCLUDED_HINT = (
    'Separate words with spaces or commas; "quote a phrase". Empty to leave nothing out.'
)
FORM_THREAD = "Threads"
FORM_THREAD_OPTION = "Post each summary as a short message with its TL;DR card in the thread"
THREAD_PARENT_HINT = "The TL;DR card is in the thread."
VERB_WHY = ("why ID", "Whether a summary reached this channel, and when, or exactly why not.")
WHY_NEEDS_ID = "Which post? Use `why ID`; ids are shown on each card and under each headline."
WHY_HEADING = "Why: {title} (`{post_id}`) in {channel}"
WHY_DELIVERED = ":white_check_mark: Delivered here on {date}."
WHY_LINK = "Open the message"
WHY_UPDATING = (
    ":white_check_mark: Delivered here on {date}; the post was edited since, and the message "
    "is being updated."
)
WHY_SENDING = ":hourglass: Being posted here right now."
WHY_QUEUED = ":hourglass: Queued for this channel: it goes out within moments."
WHY_RATE_LIMITED = (
    ":hourglass: Waiting for a rate limit: Slack asked newsbot to slow down here; next try {date}."
)
WHY_RETRYING = (
    ":hourglass: Not delivered yet: Slack said `{error}` ({attempts} tries so far); "
    "next try {date}."
)
WHY_FAILED = ":x: Not delivered: Slack said `{error}` each time newsbot tried ({attempts} tries)."
WHY_PAUSED_PERSON = (
    ":double_vertical_bar: Not delivered: <@{user_id}> paused this channel on {date}. "
    "`/news resume` starts it again."
)
WHY_PAUSED_FAILURE = (
    ":double_vertical_bar: Not delivered: newsbot paused this channel on {date} because Slack "
    "said `{reason}`."
)
WHY_NOT_SUBSCRIBED = (
    "Not delivered: this channel is not subscribed to {categories}. "
    "`/news subscribe {category}` brings such posts."
)
WHY_EXCLUDED = (
    "Not delivered: it mentions “{word}”, which this channel's {category} subscription excludes."
)
WHY_BELOW_SENTIMENT = (
    "Not delivered: its sentiment score is {score}, below the minimum of {minimum:g} this "
    "channel's {category} subscription asks for."
)
WHY_NO_SCORE = "none"
WHY_NO_KEYWORD = (
    "Not delivered: it mentions none of {words}, the words this channel's {category} "
    "subscription asks for."
)
WHY_BEFORE_SUBSCRIBED = (
    "Not delivered: it arrived on {arrived}, before this channel subscribed on {subscribed}; "
    "a channel gets the posts that arrive after it subscribes."
)
WHY_IN_DIGEST = "Not posted on its own: it is in the {kind} due {date}."
WHY_DIGEST_PAST = "Not posted on its own: it belonged to the {kind} of {date}."
WHY_NOT_PLANNED = ":hourglass: Just arrived: newsbot has not queued it yet. Ask again in a moment."
WHY_NOT_QUEUED = "Not delivered: it was not queued for this channel when it arrived."
WHY_LATEST = "Latest posts here:"
WHY_HOME_ROW = "{title}: {why}"
HELP_SUBSCRIPTIONS = "export or import every channel's subscriptions, filters, digests and pauses"
HELP_SUBSCRIPTIONS_EXPORT = "print every channel's subscriptions as JSON (redirect it to a file)"
HELP_SUBSCRIPTIONS_IMPORT = "restore the subscriptions in a file written by export"
HELP_TEAM = "only this workspace (its team id, like T0123ABCD)"
HELP_IMPORT_FILE = "a file written by 'newsbot subscriptions export'"
HELP_WORKSPACE_TEAM = "the workspace's team id (T…), or an Enterprise Grid org id (E…)"
IMPORT_DONE = "Imported {file}: {added} added, {changed} changed, {unchanged} unchanged."
IMPORT_NOT_JSON = (
    "{file} is not JSON ({error}): import reads what `newsbot subscriptions export` writes."
)
IMPORT_TOO_NEW = (
    "{file} was written by a newer newsbot (format version {version}; this one reads up to "
    "{supported}): upgrade newsbot, then import it."
)
IMPORT_NOT_EXPORT = "{file} is not a newsbot subscriptions export: {problem}"
IMPORT_UNREADABLE = "Cannot read {file}: {error}."
# Search: the verb and its answers.
VERB_SEARCH = (
    'search WORDS ["phrase"] [-word] [category:X] [since:7d] [sentiment:>=7]',
    "Find summaries by what they say, best and newest first.",
)
SEARCH_HEADING = "Search: {query}"
SEARCH_POSITION = "{first}–{last} of {total}"
SEARCH_TOTAL_AT_LEAST = "more than {total:,}"
SEARCH_FALLBACK = "{count} {results} for {query}: {titles}"
SEARCH_DROP_FILTER = (
    "Nothing matches all of “{query}”. Without {filter} there would be {count:,} {results}: "
    "try again without it."
)
RESULT_COUNT_WORDS = ("result", "results")
SEARCH_TRY_CATEGORY = (
    "Nothing mentions “{query}”, but there is a category {category}: try `latest {category}`."
)
SEARCH_NOTHING = (
    "Nothing mentions “{query}”. Try fewer or other words, or browse a category: {categories}."
)
SEARCH_NO_POSTS = "There are no posts to search yet."

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

# Sources: git repositories and web feeds (`newsbot sources`, `/news sources`).
HELP_SOURCES = "manage the git repositories and web feeds posts are fetched from"
HELP_SOURCES_ADD = "add a source: 'git URL' or 'feed URL'"
HELP_SOURCES_LIST = "list the sources: kind, URL, last fetch, posts, health"
HELP_SOURCES_REMOVE = "remove a source (its posts stay in the store)"
HELP_SOURCES_SYNC = "fetch every source (or one) now; exit 1 if one failed"
HELP_SOURCE_BRANCH = "the branch to follow (default: the repository's default branch)"
HELP_SOURCE_PATH = "the folder of posts inside the repository (default: _posts)"
HELP_SOURCE_CATEGORY = "give every entry this category instead of the feed's tags"
HELP_SOURCE_GIT_URL = "the repository: an https://, ssh://, git@host:path or file:// URL"
HELP_SOURCE_FEED_URL = "the http(s) URL of an RSS 2.0, Atom or JSON Feed"
HELP_SOURCE_ID = "the source's number, as 'newsbot sources list' shows it"
SOURCE_ADDED = "Added source {id}: {kind} {url}. Run 'newsbot sources sync {id}' to fetch it now."
SOURCE_REMOVED = "Removed source {id} ({kind} {url}); the posts it brought stay in the store."
SOURCES_NONE = "No sources yet: add one with 'newsbot sources add git URL' or 'add feed URL'."
SOURCES_POSTS_DIR = "The posts directory ({path}) is read as well, as always."
SOURCE_LIST_HEADER = ("ID", "KIND", "URL", "LAST FETCH", "POSTS", "HEALTH")
SOURCE_NEVER_FETCHED = "never"
SOURCE_HEALTH_OK = "ok"
SOURCE_HEALTH_WARNING = "ok, but {warning}"
SOURCE_HEALTH_FAILING = "failing since {since}: {error}"
SOURCE_HEALTH_NEW = "not fetched yet"
SOURCE_SYNCED = "source {id} ({kind} {url}): {new} new, {updated} updated, {unchanged} unchanged"
SOURCE_NOT_MODIFIED = "source {id} ({kind} {url}): not modified since the last fetch"
SOURCE_SYNC_FAILED = "source {id} ({kind} {url}) failed: {error}"
SOURCE_SYNC_PROBLEM = "source {id}: {problem}"
SOURCE_BUSY = "source {id} is being fetched by a running newsbot right now; left to it"
SOURCE_NOT_FOUND = "There is no source {id}; 'newsbot sources list' shows them."
SOURCE_BAD_ID = "{value!r} is not a source id: ids are the numbers 'newsbot sources list' shows"
SOURCE_BAD_GIT_URL = (
    "{url!r} is not a git URL newsbot can fetch: use https://, ssh://, git@host:path or file://"
)
SOURCE_BAD_FEED_URL = "{url!r} is not a feed URL: use an http:// or https:// address"
SOURCE_BAD_BRANCH = "{branch!r} is not a branch name"
SOURCE_BAD_PATH = "{path!r} is not a folder inside the repository: give a relative path like _posts"
SOURCE_EMPTY_CATEGORY = "--category needs a name"
SOURCE_DEFAULT_BRANCH = "the default branch"
SOURCE_NO_PATH = "the repository has no folder {path!r} on {branch}; set it with --path"
SOURCE_NO_POSTS = "no posts in the repository's folder (looked for *.md and *.markdown files)"
SOURCE_MORE_PROBLEMS = " (and {count} more)"
SOURCE_DISK_ERROR = "cannot write the source's files: {error}"
SOURCE_NO_GIT = "the 'git' command is not installed; install git to follow a repository"
SOURCE_GIT_TIMEOUT = "git took longer than {seconds:g} seconds and was stopped"
SOURCE_GIT_FAILED = "git {command} failed: {detail}"
FEED_TIMEOUT = "the feed did not answer within {seconds:g} seconds"
FEED_UNREACHABLE = "cannot reach the feed: {error}"
FEED_TOO_MANY_REDIRECTS = "the feed redirected more than {count} times"
FEED_BAD_REDIRECT = "the feed redirected to {target!r}, which is not an http(s) URL; not followed"
FEED_HTTP_STATUS = "the feed answered HTTP {status} {reason}"
FEED_TOO_LARGE = "the feed is larger than {limit} MB; not read"
FEED_MALFORMED = "the feed is not well-formed XML ({detail})"
FEED_READ_LENIENTLY = "the feed is not well-formed XML ({detail}); its entries were read leniently"
FEED_IS_HTML = "the URL is a web page (HTML), not a feed: give the address of its RSS or Atom feed"
FEED_UNKNOWN_FORMAT = "the document is not an RSS, Atom or JSON Feed"
FEED_BAD_JSON = "the feed is not valid JSON ({detail})"
FEED_ENTRY_NO_IDENTITY = "entry {title!r} has neither an id nor a link, so it was skipped"
FEED_ENTRY_EMPTY = "entry {key!r} has neither a title nor any text, so it was skipped"
FEED_ENTRY_NO_TITLE = "entry {key!r} has no title; the start of its text is used"
FEED_ENTRY_NO_LINK = "entry {title!r} has no link; its card has no Read source button"
VERB_SOURCES = ("sources", "The git repositories and feeds posts come from, and their health.")
SOURCES_HEADING = "Sources"
SOURCES_EMPTY = (
    "Posts come only from the posts directory. The operator adds git repositories and feeds "
    "with `newsbot sources add`."
)
SOURCES_MORE = "…and {count} more: `newsbot sources list` shows them all."
SOURCES_FOOTER = "Sources are changed on the command line: `newsbot sources add|remove|sync`."
SOURCE_ROW = "*{id}* {kind} {url}: {health} · {posts} posts · fetched {fetched}"
STATUS_FAILING_SOURCES = ":warning: Sources that keep failing (their new posts cannot arrive):"
SOURCE_FAILING_DM = (
    ":warning: newsbot's source {id} ({kind} {url}) has been failing since {since}: {error}. "
    "New posts from it cannot arrive until it is fixed; `newsbot sources list` shows it."
)
