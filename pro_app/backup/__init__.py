"""Consistent backups of the database and their restoration (`flask backup`)."""
