"""What an ingest found: counts of new, updated and unchanged posts, and each file's problem."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    text: str


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # posts whose file is gone
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.rejected)

    @property
    def saved(self) -> bool:
        """Whether this report's files changed any post."""
        return bool(self.new or self.updated or self.removed)

    def add(self, part: "IngestReport") -> None:
        """Count in the report of one part of the same ingest (a batch of its files)."""
        self.new += part.new
        self.updated += part.updated
        self.unchanged += part.unchanged
        self.removed += part.removed
        self.rejected += part.rejected
        self.warnings += part.warnings
