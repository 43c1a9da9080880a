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

# The ingest summary.
INGEST_SUMMARY = "{new} new, {updated} updated, {unchanged} unchanged, {rejected} rejected"
INGEST_REJECTED = "rejected {path}: {reason}"
INGEST_WARNING = "warning {path}: {warning}"
INGEST_NOTHING_FOUND = "no posts found in {paths} (looked for *.md and *.markdown files)"
INGEST_PROGRESS = "Reading posts"

# Listing posts on the command line.
LATEST_EMPTY = "No posts yet. Run 'newsbot ingest' to read the posts directory ({posts_dir})."
LATEST_EMPTY_CATEGORY = "No posts in category {category!r}. Categories: {known}."

# The database.
DB_UPGRADED = "Database {url} is at schema revision {revision}, the newest."

DB_BEHIND = (
    "Database {url} is at schema revision {current}, but this newsbot needs {head}. "
    "Run 'newsbot db upgrade'."
)
DB_UNREACHABLE = "Cannot open database {url}: {error}"
DB_AT = "Database {url} is at schema revision {revision}."

# The command line.
CLI_DESCRIPTION = "newsbot: news summaries for Slack, from markdown posts in a SQL store."
HELP_VERBOSE = "log what newsbot is doing"
HELP_INGEST = "read post files into the store (default: NEWSBOT_POSTS_DIR)"
HELP_LATEST = "list the newest posts in the store"
HELP_DB = "manage the database schema"
HELP_DB_UPGRADE = "apply migrations (default: up to the newest)"
HELP_DB_DOWNGRADE = "undo migrations down to REVISION ('base' empties the database)"
HELP_DB_CURRENT = "show the schema revision the database is at"
NOT_A_POSITIVE_NUMBER = "{value!r} is not a positive whole number"

# Search: reading the query.
SEARCH_EMPTY = (
    'Tell me what to look for: words, a "quoted phrase", or a filter such as '
    "category:business, since:7d or sentiment:positive."
)
SEARCH_TOO_LONG = 'That search has too many words: use at most {limit}, or a "quoted phrase".'
SEARCH_BAD_CATEGORY = "category: needs a name, for example category:business."
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
HELP_PREVIEW = "show the TL;DR card one post file would get in Slack"
HELP_JSON = "print the message payload (text and blocks) exactly as it would be sent to Slack"
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
    "OAuth & Permissions page."
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
SLACK_UNREACHABLE = "Cannot reach the Slack Web API at SLACK_API_URL {url}: {error}."
CANNOT_LISTEN = "Cannot listen on {host}:{port} ({error}): set PORT to a free port."

# `newsbot serve`.
HELP_SERVE = "answer Slack: HTTP mode on PORT, or Socket Mode with --socket"
HELP_SOCKET = "connect to Slack over Socket Mode (needs SLACK_APP_TOKEN) instead of HTTP"
HELP_HOST = "the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)"
SERVING_HTTP = "newsbot is answering Slack at {url} (health: {health}/healthz). Ctrl-C stops it."
# `newsbot serve`'s log: said once at start, and when a request claiming to be Slack's is refused.
LOG_STARTING = (
    "newsbot serve: {mode}, database {database}, posts directory {posts_dir}, "
    "metrics {metrics}, log level {level}"
)
LOG_REFUSED_SIGNATURE = (
    "refused a request to /slack/events from {peer}: its signature or timestamp does not "
    "match SLACK_SIGNING_SECRET (a stranger, a replay, or the wrong signing secret)"
)
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
    "subscribe CATEGORY[, CATEGORY…] [sentiment:>=N] [digest:daily@HH:MM] [keywords…]",
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
# Search: the verb and its answers.
VERB_SEARCH = (
    'search WORDS ["phrase"] [-word] [category:X] [since:7d] [sentiment:>=7]',
    "Find summaries by what they say, best and newest first.",
)
SEARCH_HEADING = "Search: {query}"
SEARCH_POSITION = "{first}–{last} of {total}"
SEARCH_TOTAL_AT_LEAST = "more than {total:,}"
SEARCH_FALLBACK = "{count} results for {query}: {titles}"
SEARCH_DROP_FILTER = (
    "Nothing matches all of “{query}”. Without {filter} there would be {count:,} results: "
    "try again without it."
)
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
UPLOAD_EMPTY = "The request has no body: send the post's markdown, front matter first."
