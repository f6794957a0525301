"""Running beside the app: the drop-folder watcher (and, later, scheduled jobs)."""
