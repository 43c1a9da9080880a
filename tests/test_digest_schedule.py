"""Digest times: read as people type them, due at that time in the subscriber's time zone."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.news.delivery.schedule import DigestSchedule, ScheduleError, time_zone

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("daily@09:00", "daily@09:00"),
        ("DAILY@9:05", "daily@09:05"),
        ("weekly@mon09:00", "weekly@mon09:00"),
        ("weekly@Friday@17:30", "weekly@fri17:30"),
        ("weekly@sun00:00", "weekly@sun00:00"),
    ],
)
def test_schedules_read_as_typed(text: str, canonical: str) -> None:
    assert str(DigestSchedule.parse(text)) == canonical
    assert DigestSchedule.parse(canonical) == DigestSchedule.parse(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("daily@25:00", "not a time of day"),
        ("daily@09:60", "not a time of day"),
        ("weekly@09:00", "not a digest time"),
        ("daily@mon09:00", "not a digest time"),
        ("weekly@funday09:00", "not a day of the week"),
        ("weekly@mo09:00", "not a day of the week"),
        ("hourly", "not a digest time"),
        ("", "not a digest time"),
    ],
)
def test_bad_schedules_say_what_to_type(text: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says):
        DigestSchedule.parse(text)


def test_daily_is_due_at_local_time_today_then_tomorrow() -> None:
    daily = DigestSchedule(time(9, 0))
    morning = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)  # 08:00 in Paris (UTC+2)
    assert daily.next_after(morning, PARIS) == datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    at_nine = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    assert daily.next_after(at_nine, PARIS) == datetime(2026, 10, 2, 7, 0, tzinfo=UTC)


def test_weekly_waits_for_its_day() -> None:
    monday = DigestSchedule.parse("weekly@mon09:00")
    thursday = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    assert monday.next_after(thursday, NEW_YORK) == datetime(2026, 10, 5, 13, 0, tzinfo=UTC)
    sunday_night_utc = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # still Sunday in New York
    assert monday.next_after(sunday_night_utc, NEW_YORK).date().isoformat() == "2026-10-05"


def test_daylight_saving_changes_keep_the_local_hour() -> None:
    daily = DigestSchedule(time(9, 0))
    before = datetime(2026, 3, 28, 6, 0, tzinfo=UTC)  # Paris moves to summer time on the 29th
    first = daily.next_after(before, PARIS)
    second = daily.next_after(first, PARIS)
    assert first.astimezone(PARIS).hour == second.astimezone(PARIS).hour == 9
    assert (second - first).total_seconds() == 23 * 3600


def test_a_skipped_local_time_is_sent_just_after_the_change() -> None:
    at_half_two = DigestSchedule(time(2, 30))  # 02:30 does not exist in Paris on 2026-03-29
    due = at_half_two.next_after(datetime(2026, 3, 29, 0, 0, tzinfo=UTC), PARIS)
    assert due.astimezone(PARIS).date().isoformat() == "2026-03-29"
    assert due > datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # after 03:00 local, the change


def test_unknown_time_zones_fall_back_to_utc() -> None:
    assert time_zone(None) == ZoneInfo("UTC")
    assert time_zone("Mars/Olympus_Mons") == ZoneInfo("UTC")
    assert time_zone("../../etc/passwd") == ZoneInfo("UTC")
    assert time_zone("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
