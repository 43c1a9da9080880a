"""Sources: git repositories and web feeds that newsbot fetches posts from, besides the posts
directory. ``manage`` adds, lists and removes them; ``sync`` fetches one into the directory
newsbot keeps for it and reads that with the ingestion every post goes through; ``runner``
fetches them on a schedule, one replica at a time per source; ``verbs`` shows them in Slack."""
