"""newsbot: a Slack app that delivers news summaries."""

__version__ = "0.1.0"
