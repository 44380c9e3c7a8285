"""Sign-in for the JSON API (OAuth2 password flow, bearer tokens) and the pages (session cookie).

What other routers use (the ops router of ``api/ops.py`` included):

* ``require_roles(*roles)`` - FastAPI dependency for JSON routes: returns the signed-in
  :class:`storage.users.Principal`; 401 without a valid bearer token, 403 for another role.
  ``require_roles()`` (no role) admits every signed-in user.
* ``require_page_roles(*roles)`` - the same for pages: without a session the browser is sent to
  ``/login`` (303), another role gets a 403 page.
* ``csrf_field(request)`` / ``check_csrf(request, token)`` - the hidden CSRF input of every POST
  form and its check (pages' forms post ``csrf``; a wrong one is a 403).
* templates: ``api/templates/base.html`` (nav, ``{% block content %}``); render with
  ``request.app.state.templates.TemplateResponse(request, "x.html", {...})`` - the context gets
  ``user`` and ``csrf`` from :func:`page_context`.

Tokens and sessions are signed with ``SOHOA_SECRET_KEY`` (itsdangerous) and expire after
``SOHOA_TOKEN_TTL`` seconds; the user is read again on every request, so a disabled user is out
at once. Failed logins are limited per user name and client (``SOHOA_LOGIN_ATTEMPTS`` a minute).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.users import Principal, authenticate, principal

SESSION_COOKIE = "sohoa_session"
LOGIN_CSRF_COOKIE = "sohoa_login_csrf"
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


class LoginRequired(Exception):
    """A page needs a signed-in user: answered with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass
class LoginLimiter:
    """At most ``attempts`` failed logins per (name, client) in ``window`` seconds."""

    attempts: int
    window: float = 60.0
    _failures: dict[tuple[str, str], deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str]) -> deque:
        now = time.monotonic()
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def check(self, name: str, client: str) -> None:
        with self._lock:
            if len(self._recent((name.lower(), client))) >= self.attempts:
                raise HTTPException(status_code=429, detail="too many failed logins: wait a minute",
                                    headers={"Retry-After": str(int(self.window))})

    def failed(self, name: str, client: str) -> None:
        with self._lock:
            self._recent((name.lower(), client)).append(time.monotonic())
            if len(self._failures) > 100_000:  # bounded memory under a name-spraying attack
                self._failures.clear()


class Auth:
    """Signing, verification and the login limiter of one app."""

    def __init__(self, secret: str, ttl: int, sessions: sessionmaker[Session], login_attempts: int) -> None:
        self.ttl = ttl
        self.sessions = sessions
        self.tokens = URLSafeTimedSerializer(secret, salt="sohoa-api-token")
        self.cookies = URLSafeTimedSerializer(secret, salt="sohoa-page-session")
        self.limiter = LoginLimiter(login_attempts)

    def login(self, request: Request, name: str, password: str) -> Principal | None:
        client = request.client.host if request.client else "-"
        self.limiter.check(name, client)
        with transaction(self.sessions) as s:
            user = authenticate(s, name, password)
        if user is None:
            self.limiter.failed(name, client)
        return user

    def issue_token(self, user: Principal) -> str:
        return self.tokens.dumps({"u": user.id})

    def token_user(self, token: str) -> Principal | None:
        try:
            data = self.tokens.loads(token, max_age=self.ttl)
        except (BadSignature, SignatureExpired):
            return None
        return self.load_user(data)

    def issue_session(self, user: Principal) -> str:
        return self.cookies.dumps({"u": user.id, "csrf": secrets.token_urlsafe(24)})

    def session_data(self, request: Request) -> dict | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            return self.cookies.loads(raw, max_age=self.ttl)
        except (BadSignature, SignatureExpired):
            return None

    def load_user(self, data: object) -> Principal | None:
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        with transaction(self.sessions) as s:
            return principal(s, data["u"])


def _auth(request: Request) -> Auth:
    return request.app.state.auth


def require_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency for JSON routes: the signed-in user (401 without a token, 403 for another role)."""

    def dependency(request: Request, token: str | None = Depends(oauth2_scheme)) -> Principal:
        user = _auth(request).token_user(token) if token else None
        if user is None:
            raise HTTPException(status_code=401, detail="sign in first: POST /api/token, then send "
                                "'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})
        if roles and user.role not in roles:
            raise HTTPException(status_code=403, detail=f"this needs the role {' or '.join(roles)}")
        request.state.user = user
        return user

    return dependency


def page_user(request: Request) -> Principal | None:
    """The user of the page session, or None."""
    auth = _auth(request)
    data = auth.session_data(request)
    user = auth.load_user(data) if data else None
    if user is not None:
        request.state.user = user
        request.state.csrf = data["csrf"]
    return user


def require_page_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency for pages: the signed-in user; no session -> /login, another role -> 403."""

    def dependency(request: Request) -> Principal:
        user = page_user(request)
        if user is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if roles and user.role not in roles:
            raise HTTPException(status_code=403, detail=f"this page needs the role {' or '.join(roles)}")
        return user

    return dependency


def csrf_field(request: Request) -> str:
    """The session's CSRF token (put it in every POST form as ``csrf``)."""
    return getattr(request.state, "csrf", "")


def check_csrf(request: Request, token: str | None) -> None:
    expected = csrf_field(request)
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise HTTPException(status_code=403, detail="the form is stale or forged (CSRF check failed): reload the page")


def page_context(request: Request, **values) -> dict:
    """What every page template gets: the user, the CSRF token, and ``values``."""
    return {"user": getattr(request.state, "user", None), "csrf": csrf_field(request), **values}
