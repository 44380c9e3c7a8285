"""The review station's pages: login, the queue (``/``), the review page. Server-rendered (Jinja2,
autoescaped), a little plain JavaScript from ``api/static`` for the keyboard and the saves.

The pages' scripts call the JSON API with a bearer token the page carries (issued for the
session's user), so there is one set of write routes, all scoped and versioned in one place.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginRequired,
    check_csrf,
    page_context,
    require_page_roles,
)
from api.corrections import MAX_VALUE_CHARS
from schemas.doctypes import CATALOGUE
from storage import review
from storage.db import transaction
from storage.users import Principal

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
READERS = ("admin", "reviewer", "viewer")


def _safe_next(url: str | None) -> str:
    """Only local paths after login (no open redirect)."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str | None, Query(max_length=500)] = None,
               error: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(request, "login.html", {
        "user": None, "csrf": token, "next": _safe_next(next), "error": "wrong" if error == "wrong" else None})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=request.url.scheme == "https")
    return response


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=120)],
          password: Annotated[str, Form(max_length=1024)], csrf: Annotated[str, Form(max_length=100)],
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf):
        raise HTTPException(status_code=403, detail="the login form is stale: reload the page")
    auth = request.app.state.auth
    try:
        user = auth.login(request, username, password)
    except HTTPException as exc:
        if exc.status_code == 429:
            return templates.TemplateResponse(request, "login.html", {
                "user": None, "csrf": csrf, "next": _safe_next(next),
                "error": "Too many failed attempts: wait a minute."}, status_code=429)
        raise
    if user is None:
        return RedirectResponse("/login?" + urlencode({"next": _safe_next(next), "error": "wrong"}), status_code=303)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, auth.issue_session(user), httponly=True, samesite="strict",
                        max_age=auth.ttl, secure=request.url.scheme == "https")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)],
           user: Principal = Depends(require_page_roles())) -> Response:
    check_csrf(request, csrf)
    request.app.state.auth.revoke(user)  # the cookie and the page's API tokens end, here and elsewhere
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def queue_page(
    request: Request,
    user: Principal = Depends(require_page_roles()),
    batch: Annotated[str | None, Query(max_length=200)] = None,
    doc_type: Annotated[str | None, Query(max_length=40)] = None,
    unit: Annotated[str | None, Query(max_length=20)] = None,
    field: Annotated[str | None, Query(max_length=40)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if user.role not in READERS:
        return RedirectResponse("/ops", status_code=303)  # the ops pages (Part 7) are its home
    flt = review.QueueFilter(batch=batch or None, doc_type=doc_type or None, unit=unit or None,
                             field=field or None, max_confidence=max_confidence)
    with transaction(request.app.state.sessions) as s:
        try:
            listed = review.queue(s, user, flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
            error = None
        except review.BadReviewInput as exc:
            listed, error = {"items": [], "total": 0}, str(exc)
        counts = review.queue_counts(s, user)
        batches = review.queue_batches(s, user)
    params = {k: v for k, v in (("batch", batch), ("doc_type", doc_type), ("unit", unit), ("field", field),
                                ("max_confidence", max_confidence)) if v not in (None, "")}
    pages = max(1, -(-listed["total"] // PAGE_SIZE))
    return templates.TemplateResponse(request, "queue.html", page_context(
        request, listed=listed, counts=counts, batches=batches, types=CATALOGUE, flt=flt, error=error,
        page=page, pages=pages, prev_url=_page_url(params, page - 1) if page > 1 else None,
        next_url=_page_url(params, page + 1) if page < pages else None))


def _page_url(params: dict, page: int) -> str:
    return "/?" + urlencode({**params, "page": page})


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def review_page(request: Request, document_id: int, user: Principal = Depends(require_page_roles(*READERS))) -> Response:
    if not 1 <= document_id < 2**31:
        raise HTTPException(status_code=404, detail="no such document")
    with transaction(request.app.state.sessions) as s:
        record = review.document_view(s, user, document_id)
        log = review.history(s, user, document_id)
    field_keys = sorted(record["fields"], key=lambda k: (record["fields"][k]["status"] != "needs_review", k))
    return templates.TemplateResponse(request, "review.html", page_context(
        request, doc=record, field_keys=field_keys, history=log, types=CATALOGUE,
        api_token=request.app.state.auth.issue_token(user), can_write=user.role in ("admin", "reviewer"),
        max_value_chars=MAX_VALUE_CHARS))


def install(app) -> None:
    """The pages' router, static files and the redirect of signed-out visitors to /login."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.templates = templates

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_url}), status_code=303)
