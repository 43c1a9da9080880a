"""The tables. Alembic migrations in ``alembic/versions`` create exactly these."""

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # for annotations only: importing Alembic costs a tenth of a second
    from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UTCDateTime

# Named constraints, so migrations name them the same way on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 200
HASH_LENGTH = 64


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class PostRow(Base):
    """One news summary, as the latest version of its file says."""

    __tablename__ = "posts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(index=True)
    source_url: Mapped[str | None] = mapped_column(Text)
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sentiment_label: Mapped[str | None] = mapped_column(Text)
    tldr: Mapped[list[Any]]
    body: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]]  # [[label, url], ...]
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    path: Mapped[str] = mapped_column(Text)  # the file it was last read from
    # Migration 0010: Jekyll's conventions. Tags are also post_categories rows (``tag`` true).
    tags: Mapped[list[Any]] = mapped_column(server_default="[]")
    source_label: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]  # last: ingestion's bulk writes give it once for every row


class PostCategoryRow(Base):
    """A post's topics in the order the file gives them, categories first, then tags (``tag``
    true): a tag is named wherever a category can be. ``key`` is the case-folded name."""

    __tablename__ = "post_categories"
    # What ``/news categories`` counts, read from the index alone (migration 0018).
    __table_args__ = (Index("ix_post_categories_tag_key_name", "tag", "key", "name"),)

    post_id: Mapped[str] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, index=True)
    name: Mapped[str] = mapped_column(String(ID_LENGTH))
    position: Mapped[int] = mapped_column(Integer)
    tag: Mapped[bool] = mapped_column(Boolean, server_default=false())


class PostFileRow(Base):
    """What ingestion last saw of a file, so an unchanged file is skipped without reading it."""

    __tablename__ = "post_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))


ALL_CATEGORIES = "*"
"""The ``category_key`` of a subscription to every category (``/news subscribe all``)."""


class SubscriptionRow(Base):
    """A Slack channel that wants new posts in a category, as they come or as a digest.

    A post matches when its category is ``category_key`` (or the key is ``ALL_CATEGORIES``), its
    sentiment score is at least ``min_sentiment`` (when set) and, when ``keywords`` is not empty,
    one of them appears in its title, TL;DR, body or tags, and none of ``excluded`` does.
    ``thread`` posts each summary as a short parent message with its card as the first reply.
    ``digest`` is ``None`` for live delivery, or
    ``daily@HH:MM`` / ``weekly@DDDHH:MM`` read in ``digest_tz``; ``digest_next_at`` is when it
    is next due (UTC) and ``digest_last_at`` the end of the last period sent.
    """

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_digest_next_at", "digest_next_at"),)

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    category_key: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    category_name: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    min_sentiment: Mapped[float | None] = mapped_column(Float)
    keywords: Mapped[list[Any]] = mapped_column(server_default="[]")
    excluded: Mapped[list[Any]] = mapped_column(server_default="[]")
    thread: Mapped[bool] = mapped_column(Boolean, server_default=false())
    digest: Mapped[str | None] = mapped_column(String(32))
    digest_tz: Mapped[str | None] = mapped_column(String(64))
    digest_next_at: Mapped[datetime | None]
    digest_last_at: Mapped[datetime | None]


class ChannelStateRow(Base):
    """A channel's delivery state. A row with ``paused_at`` set means nothing is posted there:
    paused by a person (``paused_by`` is their user id) or by a failure (``paused_by`` is
    ``None`` and ``reason`` is Slack's error, e.g. ``not_in_channel``)."""

    __tablename__ = "channel_states"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    paused_at: Mapped[datetime | None]
    paused_by: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class DeliveryRow(Base):
    """The delivery ledger: one row per post per channel, so a channel gets a post at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state", "state"),)

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    post_id: Mapped[str] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    content_hash: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
    # When the current send began: bounds the history search for a send whose answer was lost.
    sending_since: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Thread mode, as planned: ``message_ts`` is the parent and ``reply_ts`` the card reply.
    threaded: Mapped[bool] = mapped_column(Boolean, server_default=false())
    reply_ts: Mapped[str | None] = mapped_column(String(32))


class DeliveryChannelRow(Base):
    """One channel's turn at delivery: which replica holds it (a lease that expires, so a crashed
    replica's channels are taken over) and when it may next be sent to (pacing, Retry-After)."""

    __tablename__ = "delivery_channels"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    not_before: Mapped[datetime]


class PlannedPostRow(Base):
    """A post the delivery planner has fanned out, at the content it last saw: a post with no row
    here is new to subscribers, one whose hash differs was edited."""

    __tablename__ = "planned_posts"

    post_id: Mapped[str] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    planned_at: Mapped[datetime]


class PostSearchRow(Base):
    """A post's place in the full-text index. ``doc_id`` orders posts by publication time
    (seconds since 1970 shifted left 16 bits, plus a tiebreak), so "the newest matches" is a
    walk down the index's own row ids on either engine.

    Migration 0002 adds the engine's own index beside this table: on SQLite the FTS5 table
    ``post_search_fts`` (its rowid is ``doc_id``), on PostgreSQL a ``document`` tsvector column
    with a GIN index. Migration 0006 adds a title-only index: ``post_title_fts``, or a
    ``title_document`` tsvector with its own GIN index. SQLAlchemy cannot describe these, so
    ``is_modelled`` leaves them out of the comparison between these models and the migrations.
    """

    __tablename__ = "post_search"

    post_id: Mapped[str] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    doc_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    polarity: Mapped[str | None] = mapped_column(String(8))


FTS_TABLE = "post_search_fts"
TITLE_FTS_TABLE = "post_title_fts"  # migration 0006: titles alone, for the title pass
SEARCH_DOCUMENT_COLUMN = "document"
_UNMODELLED_COLUMNS = {"document", "title_document"}
_UNMODELLED_INDEXES = {"ix_post_search_document", "ix_post_search_title_document"}


def is_modelled(name: str | None, kind: "NameFilterType", parents: "NameFilterParentNames") -> bool:
    """Alembic's ``include_name`` hook: False for the engine-specific full-text objects."""
    if kind == "table":
        return not (name or "").startswith((FTS_TABLE, TITLE_FTS_TABLE))
    if kind == "column":
        return not (parents.get("table_name") == "post_search" and name in _UNMODELLED_COLUMNS)
    return name not in _UNMODELLED_INDEXES


class SlackEventRow(Base):
    """An Events API ``event_id`` already taken on, so Slack's retries are handled once even
    when several replicas share the database. Old rows are pruned."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime] = mapped_column(index=True)


class WorkspaceRouteRow(Base):
    """Which installation serves a workspace: its own (``enterprise_id`` is its Enterprise
    Grid org, if any), or its org's org-wide install (``is_enterprise_install``). Written when
    a workspace installs newsbot and when a request first comes from a workspace of an org that
    installed it org-wide, so a delivery to the workspace's channels finds the right token."""

    __tablename__ = "workspace_routes"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    is_enterprise_install: Mapped[bool]
    seen_at: Mapped[datetime]


class HistoryLookupRow(Base):
    """When a workspace may next be asked for a channel's history: Slack allows apps outside
    its Marketplace one ``conversations.history`` call a minute per workspace, shared by every
    replica."""

    __tablename__ = "history_lookups"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime]


# slack_sdk's own tables for bolt's OAuth (installations, bots, OAuth states), on newsbot's
# metadata so that migration 0011 and the comparison between models and migrations see them.
# Their naive UTC DateTime columns are the SDK's choice; newsbot reads them through the SDK.
INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, "slack_oauth_states"
)


class SourceRow(Base):
    """A place posts come from besides the posts directory: a git repository (``branch``,
    ``path``) or a web feed (``category``, and the validators of its last answer). Replicas take
    turns fetching it: ``owner`` holds a lease until ``lease_until``. ``failing_since`` is the
    first failure of the current run of failures; ``reported_at`` when that run was reported."""

    __tablename__ = "sources"
    __table_args__ = (Index("ix_sources_next_fetch_at", "next_fetch_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(Text)
    branch: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    path: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime]
    next_fetch_at: Mapped[datetime]
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_warning: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    posts: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]


metadata = Base.metadata
