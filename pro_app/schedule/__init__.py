"""Visit windows and the SMS send plan, computed from the protocol (no Flask, no database)."""
