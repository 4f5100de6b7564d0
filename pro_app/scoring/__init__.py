"""Pure scoring (no Flask, no database): QLQ-C30, its clinical flags, and the MMSE."""
