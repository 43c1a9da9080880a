"""Posts as public Jekyll sites and AI news pipelines write them, on SQLite and PostgreSQL:
tags as topics, descriptions as TL;DRs, ``link:`` and ``source:`` as the source, search in
Chinese, Japanese, Korean and Thai beside English, and passages shown as plain text."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import messages
from bot.news.answers import PostCard
from bot.news.search.query import parse_query
from bot.posts import read_post
from bot.posts.aliases import current_aliases, parse_aliases, use_aliases
from bot.slack.blocks import render
from bot.store import Store, migrations
from bot.store.posts import category_counts, latest_posts
from bot.store.search.queries import SearchPage, search_posts
from bot.store.search.query import SearchQuery
from bot.store.search.terms import MATCH_END, MATCH_START
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import running, subscribe, until_settled
from tests.support.ingesting import ingest
from tests.test_delivery import posted_ids

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


JEKYLL = """---
layout: post
title: "{title}"
date: {date}
tags: {tags}
description: "{description}"
link: {link}
source: {source}
author: Ada Reporter
image: https://images.example.com/{slug}.png
---
{body}
"""

POSTS = {
    "2026-11-03-copilot-leadership": {
        "title": "Microsoft reshuffles Copilot leadership",
        "tags": "[AI, Microsoft]",
        "description": "A new head for the Copilot team.",
        "link": "https://www.theverge.com/2026/11/3/microsoft-copilot-leadership",
        "source": "The Verge",
        "body": "**「Copilot」** gets a new boss. Run `copilot --version` to check.\n\n"
        "[Read on The Verge](https://www.theverge.com/2026/11/3/microsoft-copilot-leadership)",
    },
    "2026-11-04-ai-zh": {
        "title": "人工智能监管新规出台",
        "tags": "[AI, 中国]",
        "description": "国务院发布了人工智能监管的新规定。",
        "link": "https://news.example.cn/ai-rules",
        "source": "新华社",
        "body": "新规要求大型模型在发布前进行安全评估。专家认为这将促进人工智能产业健康发展。",
    },
    "2026-11-05-tokyo-ja": {
        "title": "東京で自動運転タクシーの試験運行が始まる",
        "tags": "[Transport]",
        "description": "東京都心で無人タクシーの実証実験が始まった。",
        "link": "https://news.example.jp/robotaxi",
        "source": "NHK",
        "body": "利用者はスマートフォンのアプリで配車を依頼できる。",
    },
    "2026-11-06-seoul-ko": {
        "title": "서울에서 반도체 박람회 개막",
        "tags": "[Chips]",
        "description": "서울에서 세계 최대 반도체 박람회가 열렸다.",
        "link": "https://news.example.kr/chips",
        "source": "연합뉴스",
        "body": "삼성전자와 SK하이닉스가 새로운 메모리를 공개했다.",
    },
    "2026-11-07-bangkok-th": {
        "title": "กรุงเทพฯ เปิดรถไฟฟ้าสายใหม่",
        "tags": "[Transport]",
        "description": "รถไฟฟ้าสายสีชมพูเปิดให้บริการแล้ว",
        "link": "https://news.example.th/pink-line",
        "source": "Thai PBS",
        "body": "ผู้โดยสารสามารถใช้บริการได้ฟรีในสัปดาห์แรก",
    },
    "2026-11-08-vaccines": {
        "title": "Flu vaccines reach pharmacies early",
        "tags": "[Health]",
        "description": "Pharmacies stock this season's vaccines.",
        "link": "https://example.org/flu",
        "source": "Health Desk",
        "body": "The vaccine rollout starts in October.",
    },
}


@pytest.fixture
async def site(store: Store, posts_dir: Path) -> Store:
    for slug, fields in POSTS.items():
        text = JEKYLL.format(slug=slug, date=slug[:10] + " 08:00:00", **fields)
        (posts_dir / f"{slug}.md").write_text(text, encoding="utf-8")
    report = await ingest(store, [posts_dir])
    assert (report.new, report.rejected, report.warnings) == (len(POSTS), [], [])
    return store


async def find(store: Store, text: str) -> SearchPage:
    query = parse_query(text, NOW)
    assert isinstance(query, SearchQuery), query
    async with store.sessions() as session:
        return await search_posts(session, query)


async def ids(store: Store, text: str) -> list[str]:
    return [hit.post.id for hit in (await find(store, text)).hits]


async def test_tags_are_topics_and_descriptions_are_tldrs(site: Store) -> None:
    async with site.sessions() as session:
        [post] = await latest_posts(session, 5, "microsoft")  # a tag, named like a category
        topics = await category_counts(session)
    assert (post.categories, post.tags) == (("Uncategorized",), ("AI", "Microsoft"))
    assert post.tldr == ("A new head for the Copilot team.",)
    assert (post.source_url, post.source_label) == (POSTS[post.id]["link"], "The Verge")
    assert (post.author, post.image) == (
        "Ada Reporter",
        f"https://images.example.com/{post.id}.png",
    )
    assert topics["AI"] == 2 and topics["Transport"] == 2
    assert await ids(site, "tag:ai") == ["2026-11-04-ai-zh", "2026-11-03-copilot-leadership"]
    assert await ids(site, "leadership tag:health") == []


async def test_the_card_shows_the_source_button_author_and_image(site: Store) -> None:
    async with site.sessions() as session:
        [post] = await latest_posts(session, 1, "microsoft")
    blocks = render(PostCard(post)).payload()["blocks"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["text"]["text"] == "Read on The Verge"
    assert buttons[0]["url"] == POSTS[post.id]["link"]
    assert "by Ada Reporter" in blocks[1]["elements"][0]["text"]
    assert blocks[2]["accessory"]["image_url"] == post.image


async def test_a_channel_subscribed_to_a_tag_gets_its_posts(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Microsoft")  # a tag
    moment = datetime.now(UTC)
    fields = {**POSTS["2026-11-03-copilot-leadership"], "date": f"{moment:%Y-%m-%d %H:%M:%S}"}
    name = f"{moment:%Y-%m-%d}-copilot"
    (posts_dir / f"{name}.md").write_text(JEKYLL.format(slug=name, **fields), encoding="utf-8")
    await ingest(store, [posts_dir])
    async with running(store, slack):
        await until_settled(store)
    assert posted_ids(slack) == {("C1", name): 1}


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("智能", "2026-11-04-ai-zh"),  # two characters inside 人工智能
        ("安全评估", "2026-11-04-ai-zh"),
        ("タクシー", "2026-11-05-tokyo-ja"),
        ("東京", "2026-11-05-tokyo-ja"),
        ("서울", "2026-11-06-seoul-ko"),  # inside 서울에서
        ("반도체", "2026-11-06-seoul-ko"),
        ("รถไฟฟ้า", "2026-11-07-bangkok-th"),
        ("vaccinations", "2026-11-08-vaccines"),  # English keeps its stemming
    ],
)
async def test_words_in_every_script_are_found(site: Store, words: str, found: str) -> None:
    page = await find(site, words)
    assert [hit.post.id for hit in page.hits] == [found]
    assert MATCH_START in page.hits[0].snippet or words == "vaccinations"


async def test_a_cjk_phrase_matches_only_where_its_characters_run_together(site: Store) -> None:
    assert await ids(site, "智能") == ["2026-11-04-ai-zh"]
    assert await ids(site, "能智") == []


async def test_the_passage_is_plain_text_and_never_marks_a_url_or_code(site: Store) -> None:
    [hit] = (await find(site, "copilot boss")).hits
    shown = hit.snippet
    assert "**" not in shown and "https" not in shown and "](" not in shown
    assert f"{MATCH_START}Copilot{MATCH_END}" in shown
    assert f"{MATCH_START}copilot{MATCH_END} --version" not in shown
    assert "copilot --version" in shown


def test_an_operator_maps_other_field_names(tmp_path: Path) -> None:
    post = tmp_path / "2026-11-09-x.md"
    post.write_text('---\nheadline: "Rates held"\nsummary: "No change."\ndate: 2026-11-09\n---\n')
    before = current_aliases()
    use_aliases(parse_aliases("headline=title, summary = tldr"))
    try:
        parsed = read_post(post).post
    finally:
        use_aliases(before)
    assert (parsed.title, parsed.tldr) == ("Rates held", ("No change.",))
    with pytest.raises(ValueError, match="'headline=titel' is not NAME=FIELD"):
        parse_aliases("headline=titel")
    assert messages.BAD_FIELD_ALIAS.startswith("{pair!r}")


async def test_posts_stored_before_migration_0010_are_read_again(
    site: Store, posts_dir: Path
) -> None:
    """Downgraded past 0010 and upgraded again, the store has lost the tags; the next scan reads
    every file again and they are back, with nothing new."""
    await migrations.downgrade(site.engine, "0008")
    await migrations.upgrade(site.engine)
    async with site.sessions() as session:
        assert [post.tags for post in await latest_posts(session, 10)] == [()] * len(POSTS)
    report = await ingest(site, [posts_dir])
    assert (report.new, report.updated, report.removed) == (0, len(POSTS), 0)
    async with site.sessions() as session:
        [post] = await latest_posts(session, 5, "microsoft")
    assert post.tags == ("AI", "Microsoft")
