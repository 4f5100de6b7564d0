"""The one long-running scheduler process (APScheduler) and the embedded `flask serve`."""
