"""Everything Slack-shaped: Block Kit rendering, mrkdwn escaping, bolt listeners, the Web API."""
