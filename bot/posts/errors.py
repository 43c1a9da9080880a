"""The one error the post parser raises."""


class PostError(ValueError):
    """A file cannot be read as a post; ``reason`` says why in one line, for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
