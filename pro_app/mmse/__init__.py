"""The MMSE administered by a nurse: section by section, scored, signed and locked."""
