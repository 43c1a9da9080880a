"""What people read in Slack (and `newsbot ask`): the grammar, cards and lists, search,
channel auto-posts and subscriptions."""

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
