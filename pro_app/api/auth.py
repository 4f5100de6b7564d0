"""Bearer authentication for the API: 401 without a valid token, 403 outside the token's rights."""
from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from ..audit.services import Actor, set_actor
from .tokens import API_ROLES, token_hash, user_for_token


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def rate_key() -> str:
    """Rate limits count per token (hashed), or per address without one."""
    token = bearer_token()
    return f"api-token:{token_hash(token)[:24]}" if token else f"api-address:{request.remote_addr}"


def unauthorized(message: str):
    response = jsonify(error=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="pro_app API"'
    return response


def forbidden(message: str):
    return jsonify(error=message), 403


def bad_request(message: str):
    return jsonify(error=message), 400


def api_user_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        token = bearer_token()
        if token is None:
            return unauthorized("Authorization: send 'Bearer <token>'; mint one with `flask api token EMAIL`")
        user = user_for_token(token)
        if user is None or not user.is_active_account:
            return unauthorized("Authorization: this token is not valid (revoked, replaced or mistyped)")
        if user.role not in API_ROLES:
            return forbidden(f"role {user.role}: only data managers and investigators may read the API")
        g.api_user = user
        set_actor(Actor("staff", user.id, user.role))
        return view(*args, **kwargs)
    return wrapped
