"""Every sentence newsbot says to a person, in one place so wording and tone stay consistent:
``messages.NAME`` wherever it is used, grouped here by who reads it.

Plain templates, filled with ``str.format``; this package imports nothing from the project.
"""

from bot.messages.conversation import *  # noqa: F403
from bot.messages.operator import *  # noqa: F403
from bot.messages.posts import *  # noqa: F403
from bot.messages.sources import *  # noqa: F403
