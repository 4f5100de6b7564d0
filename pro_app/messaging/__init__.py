"""SMS invitations and reminders: the outbox, its dispatcher, providers, webhooks and staff pages.

Web requests only write outbox rows; `flask scheduler run` (or `flask reminders dispatch`)
claims due rows, re-checks them, sends through the configured backend and records outcomes.
"""
