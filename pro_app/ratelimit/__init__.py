"""Rate-limit counters kept in the application's database, shared by every worker and host."""
