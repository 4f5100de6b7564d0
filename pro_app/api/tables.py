"""Which tables the API serves and its paging limits."""
API_TABLES = ("patients", "visits", "messages", "items", "scores")
DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
