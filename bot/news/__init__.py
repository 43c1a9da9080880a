"""What the bot does: use cases over the store. Knows nothing of Block Kit or bolt."""
