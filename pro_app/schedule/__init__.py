"""Visits: windows from the protocol, status transitions, and the plan of SMS invitations and reminders."""
