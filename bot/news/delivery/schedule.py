"""When digests fall due: ``daily@HH:MM`` or ``weekly@DDDHH:MM`` in the subscriber's time zone.

Pure functions of their arguments, so every rule (days, weeks, daylight-saving changes) is tested
without a clock.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import messages

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SCHEDULE = re.compile(
    r"(?P<kind>daily|weekly)@(?:(?P<day>[a-z]+)@?)?(?P<hour>\d{1,2}):(?P<minute>\d{2})",
    re.IGNORECASE,
)


class ScheduleError(ValueError):
    """A digest option a person typed that is not a schedule; the message says why."""


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """A digest's time of day, and its day of the week (Monday is 0) when it is weekly."""

    at: time
    weekday: int | None = None

    @classmethod
    def parse(cls, text: str) -> "DigestSchedule":
        """Read ``daily@09:00``, ``weekly@mon09:00`` (also ``weekly@monday@9:00``)."""
        match = _SCHEDULE.fullmatch(text.strip())
        if match is None:
            raise ScheduleError(messages.DIGEST_UNREADABLE.format(text=text))
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            raise ScheduleError(messages.DIGEST_BAD_TIME.format(text=text))
        weekly = match["kind"].lower() == "weekly"
        if weekly != (match["day"] is not None):
            raise ScheduleError(messages.DIGEST_UNREADABLE.format(text=text))
        weekday = _weekday(match["day"]) if weekly else None
        return cls(time(hour, minute), weekday)

    def __str__(self) -> str:
        clock = self.at.strftime("%H:%M")
        if self.weekday is None:
            return f"daily@{clock}"
        return f"weekly@{DAY_NAMES[self.weekday][:3]}{clock}"

    @property
    def period(self) -> timedelta:
        return timedelta(days=1 if self.weekday is None else 7)

    def next_after(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """The first due time strictly after ``moment``, in UTC. A time that a daylight-saving
        change skips is sent just after the change; a repeated time is sent the first time."""
        local_day = moment.astimezone(zone).date()
        for offset in range(9):
            day = local_day + timedelta(days=offset)
            if self.weekday is not None and day.weekday() != self.weekday:
                continue
            candidate = datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)
            if candidate > moment:
                return candidate
        raise AssertionError("a daily or weekly time recurs within 8 days")  # pragma: no cover


def _weekday(day: str) -> int:
    """Monday is 0; a day is named by at least its first three letters (``mon``, ``Monday``)."""
    name = day.lower()
    for index, full in enumerate(DAY_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return index
    raise ScheduleError(messages.DIGEST_BAD_DAY.format(day=day))


def time_zone(name: str | None) -> ZoneInfo:
    """The named IANA zone, or UTC when the name is missing or unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC")
