"""Key management: re-encrypting data at rest under a new PHONE_ENCRYPTION_KEY."""
