"""Fresh AUDIT_KEY values, as an operator generates them."""
import base64
import secrets


def new_audit_key(key_id: str = "k1") -> str:
    return f"{key_id}:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
