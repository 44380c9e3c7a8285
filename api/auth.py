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

Tokens and sessions are signed with ``SOHOA_SECRET_KEY`` (itsdangerous), expire after
``SOHOA_TOKEN_TTL`` seconds and carry the user's token epoch: a sign-out (page) or
``POST /api/token/revoke`` bumps the epoch in the database, which ends every token and session of
that user. The signature and expiry are checked on every request; the user behind them is read
from the database at most once per ``SOHOA_AUTH_CACHE_S`` seconds per process (the read was most
of a cached queue page's cost). So a sign-out, revoke or disable is effective at once in the process
that did it and within ``SOHOA_AUTH_CACHE_S`` seconds in every other. Failed logins are limited
per user name and client (``SOHOA_LOGIN_ATTEMPTS`` a minute) in a table of the database, so every
server process shares the count.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from storage.db import transaction
from storage.users import (
    Principal,
    authenticate,
    principal,
    recent_login_failures,
    record_login_failure,
    revoke_tokens,
)

SESSION_COOKIE = "sohoa_session"
LOGIN_CSRF_COOKIE = "sohoa_login_csrf"
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


class LoginRequired(Exception):
    """A page needs a signed-in user: answered with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class LoginLimiter:
    """At most ``attempts`` failed logins per (name, client) in ``window`` seconds, counted in the
    database (every server process sees the same count). Concurrent guesses may each pass the
    check before any is counted: a burst of N at once gets up to ``attempts`` + N - 1 tries."""

    def __init__(self, secret: str, sessions: sessionmaker[Session], attempts: int, window: float = 60.0) -> None:
        self._secret = hashlib.sha256(b"sohoa-login-limit:" + secret.encode()).digest()
        self.sessions, self.attempts, self.window = sessions, attempts, window

    def _key(self, name: str, client: str) -> str:
        # A keyed hash: what was typed as a user name may be a password, so it is not stored as such.
        return hmac.new(self._secret, f"{name.lower()}\x00{client}".encode(), hashlib.sha256).hexdigest()

    def check(self, name: str, client: str) -> None:
        with transaction(self.sessions) as s:
            failures = recent_login_failures(s, self._key(name, client), self.window)
        if failures >= self.attempts:
            raise HTTPException(status_code=429, detail="too many failed logins: wait a minute",
                                headers={"Retry-After": str(int(self.window))})

    def failed(self, name: str, client: str) -> None:
        with transaction(self.sessions) as s:
            record_login_failure(s, self._key(name, client), self.window)


class Auth:
    """Signing, verification, the signed-in users' cache and the login limiter of one app."""

    def __init__(self, secret: str, ttl: int, sessions: sessionmaker[Session], login_attempts: int,
                 cache_s: float = 5.0) -> None:
        self.ttl = ttl
        self.sessions = sessions
        self.cache_s = cache_s
        self.tokens = URLSafeTimedSerializer(secret, salt="sohoa-api-token")
        self.cookies = URLSafeTimedSerializer(secret, salt="sohoa-page-session")
        self.limiter = LoginLimiter(secret, sessions, login_attempts)
        # (user id, epoch) -> (read at, the user): dict reads and writes are atomic, no lock needed.
        self._users: dict[tuple[int, int], tuple[float, Principal]] = {}
        self._revoked: dict[int, float] = {}  # user id -> when this process last revoked their tokens

    def login(self, request: Request, name: str, password: str) -> Principal | None:
        client = request.client.host if request.client else "-"
        self.limiter.check(name, client)
        with transaction(self.sessions) as s:
            user = authenticate(s, name, password)
        if user is None:
            self.limiter.failed(name, client)
        return user

    def issue_token(self, user: Principal) -> str:
        return self.tokens.dumps({"u": user.id, "e": user.epoch})

    def token_data(self, token: str) -> dict | None:
        """The signed content of a bearer token, or None (forged, expired)."""
        try:
            return self.tokens.loads(token, max_age=self.ttl)
        except (BadSignature, SignatureExpired):
            return None

    def issue_session(self, user: Principal) -> str:
        return self.cookies.dumps({"u": user.id, "e": user.epoch, "csrf": secrets.token_urlsafe(24)})

    def session_data(self, request: Request) -> dict | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            return self.cookies.loads(raw, max_age=self.ttl)
        except (BadSignature, SignatureExpired):
            return None

    @staticmethod
    def _who(data: object) -> tuple[int, int] | None:
        if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), int):
            return None
        return data["u"], data["e"]

    def cached_user(self, data: object) -> Principal | None:
        """The user of verified token or session ``data`` if read less than ``cache_s`` ago."""
        who = self._who(data)
        hit = self._users.get(who) if who else None
        if hit is not None and time.monotonic() - hit[0] < self.cache_s:
            return hit[1]
        return None

    def load_user(self, data: object) -> Principal | None:
        """The user of verified token or session ``data`` from the database (None: gone, disabled,
        signed out), kept for ``cache_s`` seconds."""
        who = self._who(data)
        if who is None:
            return None
        now = time.monotonic()
        with transaction(self.sessions) as s:
            user = principal(s, *who)
        if user is None:
            self._users.pop(who, None)
            return None
        if self._revoked.get(who[0], -1.0) >= now:
            return user  # read while this process revoked it: answer, but do not keep it
        if len(self._users) > 10_000:  # bounded: one entry per signed-in user and epoch
            self._users.clear()
        self._users[who] = (now, user)
        return user

    async def user_of(self, data: object) -> Principal | None:
        """:meth:`cached_user`, else :meth:`load_user` in the thread pool (a cache hit costs no
        thread hop and no database round trip)."""
        if data is None:
            return None
        return self.cached_user(data) or await run_in_threadpool(self.load_user, data)

    def revoke(self, user: Principal) -> None:
        """End every token and session of ``user``: at once here, within ``cache_s`` elsewhere."""
        with transaction(self.sessions) as s:
            revoke_tokens(s, user.id)
        self._revoked[user.id] = time.monotonic()
        for who in [who for who in self._users if who[0] == user.id]:
            self._users.pop(who, None)


def _auth(request: Request) -> Auth:
    return request.app.state.auth


def require_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency for JSON routes: the signed-in user (401 without a token, 403 for another role)."""

    async def dependency(request: Request, token: str | None = Depends(oauth2_scheme)) -> Principal:
        auth = _auth(request)
        user = await auth.user_of(auth.token_data(token) if token else None)
        if user is None:
            raise HTTPException(status_code=401, detail="sign in first: POST /api/token, then send "
                                "'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})
        if roles and user.role not in roles:
            raise HTTPException(status_code=403, detail=f"this needs the role {' or '.join(roles)}")
        request.state.user = user
        return user

    return dependency


async def page_user(request: Request) -> Principal | None:
    """The user of the page session, or None."""
    auth = _auth(request)
    data = auth.session_data(request)
    user = await auth.user_of(data)
    if user is not None:
        request.state.user = user
        request.state.csrf = data["csrf"]
    return user


def require_page_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency for pages: the signed-in user; no session -> /login, another role -> 403."""

    async def dependency(request: Request) -> Principal:
        user = await page_user(request)
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
