"""The front page and health check."""
