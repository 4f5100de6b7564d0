"""Staff accounts, roles and logins."""
