"""Results that need attention: submitted QLQ-C30s and signed MMSEs that cross a protocol threshold,
listed until a nurse or an investigator marks them reviewed."""
