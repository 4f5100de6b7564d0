"""The study, its protocol and its sites."""
