"""The subscription store on SQLite and PostgreSQL: which channels a post goes to, pauses,
digests falling due."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.posts import Post
from bot.store import Store
from bot.store.channels import channel_pause, pause_channel, resume_channel, team_pauses
from bot.store.post_writes import FileStamp, save_posts
from bot.store.schema import ALL_CATEGORIES
from bot.store.subscriptions import (
    Subscription,
    channel_subscriptions,
    channels_for_post,
    claim_digest,
    digest_posts,
    due_digests,
    remove_subscriptions,
    save_subscriptions,
    team_subscriptions,
)

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def a_post(post_id: str = "p1", **changes: object) -> Post:
    post = Post(
        id=post_id,
        title="Parliament passes the budget",
        categories=("Politics",),
        published_at=NOW,
        source_url="https://example.org/story",
        sentiment_score=6.0,
        sentiment_label="Neutral",
        tldr=("The budget passed.",),
        body="A long debate about climate spending ended late.",
        sources=(),
        content_hash="0" * 64,
    )
    return replace(post, **changes)  # type: ignore[arg-type]


def a_subscription(channel: str, category: str = "Politics", **changes: object) -> Subscription:
    key = ALL_CATEGORIES if category == "all" else category.casefold()
    subscription = Subscription("T1", channel, key, category, "U1", NOW)
    return replace(subscription, **changes)  # type: ignore[arg-type]


async def _subscribe(store: Store, *subscriptions: Subscription) -> None:
    async with store.sessions() as session, session.begin():
        await save_subscriptions(session, subscriptions)


async def _targets(store: Store, post: Post) -> list[str]:
    async with store.sessions() as session:
        return [s.channel_id for s in await channels_for_post(session, post)]


async def test_a_post_goes_to_each_matching_channel_once(store: Store) -> None:
    await _subscribe(
        store,
        a_subscription("C_POL"),
        a_subscription("C_ALL", "all"),
        a_subscription("C_BOTH"),
        a_subscription("C_BOTH", "all"),
        a_subscription("C_TECH", "Technology"),
        replace(a_subscription("C_OTHER"), team_id="T2"),
    )
    assert sorted(await _targets(store, a_post())) == ["C_ALL", "C_BOTH", "C_OTHER", "C_POL"]


async def test_filters_sentiment_and_keywords(store: Store) -> None:
    await _subscribe(
        store,
        a_subscription("C_UPBEAT", min_sentiment=7.0),
        a_subscription("C_CALM", min_sentiment=6.0),
        a_subscription("C_CLIMATE", keywords=("Climate",)),
        a_subscription("C_PHRASE", keywords=("late night", "budget passed")),
        a_subscription("C_PART", keywords=("clim",)),
    )
    assert sorted(await _targets(store, a_post())) == ["C_CALM", "C_CLIMATE", "C_PHRASE"]
    unscored = a_post(sentiment_score=None)
    assert sorted(await _targets(store, unscored)) == ["C_CLIMATE", "C_PHRASE"]


async def test_paused_and_digest_channels_get_no_live_posts(store: Store) -> None:
    await _subscribe(
        store,
        a_subscription("C_LIVE"),
        a_subscription("C_PAUSED"),
        a_subscription("C_DIGEST", digest="daily@09:00", digest_tz="UTC", digest_next_at=NOW),
    )
    async with store.sessions() as session, session.begin():
        await pause_channel(session, "T1", "C_PAUSED", "not_in_channel")
    assert await _targets(store, a_post()) == ["C_LIVE"]
    async with store.sessions() as session, session.begin():
        lifted = await resume_channel(session, "T1", "C_PAUSED")
    assert lifted is not None and lifted.by_failure and lifted.reason == "not_in_channel"
    assert sorted(await _targets(store, a_post())) == ["C_LIVE", "C_PAUSED"]


async def test_pause_records_who_and_why(store: Store) -> None:
    async with store.sessions() as session, session.begin():
        await pause_channel(session, "T1", "C1", None, by="U7", now=NOW)
        await pause_channel(session, "T1", "C2", "is_archived", now=NOW)
    async with store.sessions() as session:
        by_person = await channel_pause(session, "T1", "C1")
        pauses = await team_pauses(session, "T1")
        assert await channel_pause(session, "T1", "C3") is None
    assert by_person is not None and by_person.paused_by == "U7" and not by_person.by_failure
    assert by_person.paused_at == NOW
    assert pauses["C2"].reason == "is_archived" and pauses["C2"].by_failure
    async with store.sessions() as session, session.begin():
        assert await resume_channel(session, "T1", "C3") is None


async def test_subscribing_again_replaces_filters_and_unsubscribe_reports(store: Store) -> None:
    await _subscribe(store, a_subscription("C1"), a_subscription("C1", "Science"))
    await _subscribe(store, a_subscription("C1", min_sentiment=8.0, keywords=("vote",)))
    async with store.sessions() as session, session.begin():
        current = await channel_subscriptions(session, "T1", "C1")
        assert [(s.category_key, s.min_sentiment, s.keywords) for s in current] == [
            ("politics", 8.0, ("vote",)),
            ("science", None, ()),
        ]
        removed = await remove_subscriptions(session, "T1", "C1", {"science", "sport"})
        assert [s.category_name for s in removed] == ["Science"]
        removed = await remove_subscriptions(session, "T1", "C1", None)
        assert [s.category_name for s in removed] == ["Politics"]
        assert await team_subscriptions(session, "T1") == []


async def test_due_digests_group_a_channel_and_only_one_claim_wins(store: Store) -> None:
    due = NOW - timedelta(minutes=1)
    daily = a_subscription("C1", digest="daily@11:59", digest_tz="UTC", digest_next_at=due)
    await _subscribe(
        store,
        daily,
        replace(daily, category_key="science", category_name="Science"),
        replace(daily, channel_id="C2", digest_next_at=NOW + timedelta(hours=1)),
    )
    async with store.sessions() as session:
        digests = await due_digests(session, NOW)
    assert [(d.channel_id, len(d.subscriptions)) for d in digests] == [("C1", 2)]
    following = due + timedelta(days=1)
    async with store.sessions() as session, session.begin():
        assert await claim_digest(session, digests[0], following, due)
    async with store.sessions() as session, session.begin():
        assert not await claim_digest(session, digests[0], following, due)
        assert await due_digests(session, NOW) == []


async def test_digest_posts_are_the_periods_matching_posts(store: Store) -> None:
    posts = [
        a_post("old", published_at=NOW - timedelta(days=2)),
        a_post("in", published_at=NOW - timedelta(hours=3)),
        a_post("sport", categories=("Sports",), published_at=NOW - timedelta(hours=2)),
        a_post("gloomy", sentiment_score=1.0, published_at=NOW - timedelta(hours=1)),
        a_post("future", published_at=NOW + timedelta(hours=1)),
    ]
    async with store.sessions() as session, session.begin():
        stamps = [FileStamp(f"{p.id}.md", p.id, 1, 1, p.content_hash) for p in posts]
        await save_posts(session, list(zip(posts, stamps, strict=True)))
    await _subscribe(store, a_subscription("C1", min_sentiment=5.0, digest_next_at=NOW))
    async with store.sessions() as session:
        (digest,) = await due_digests(session, NOW)
        found = await digest_posts(session, digest, NOW - timedelta(days=1), limit=10)
    assert [p.id for p in found] == ["in"]
