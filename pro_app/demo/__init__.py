"""Demo data for the embedded default (`flask demo seed`)."""
