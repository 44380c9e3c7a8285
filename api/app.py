"""FastAPI application: the JSON API, the review pages, health and metrics - one app.

* ``/api/*`` - JSON, OAuth2 password flow: ``POST /api/token`` (form ``username``, ``password``)
  gives a bearer token; every other ``/api`` route needs it (see :mod:`api.auth`). Every document
  query is scoped to the user's unit in SQL (:mod:`storage.review`); out of scope is 404. The
  changes that need the pipeline (cleaning and checking values, a new type, re-linking) go through
  :mod:`api.corrections`.
* pages (:mod:`api.pages`) - the review queue at ``/``, the review page, login; session cookie.
* ``/health``, ``/metrics`` - open, counts only (no personal data).
* ``/docs``, ``/redoc`` - served from the assets of the ``fastapi-offline`` package (no CDN).

Handlers are plain functions (run in the thread pool) with short transactions; the queue listing
answers a page it keeps (see :func:`storage.review.cached_queue`) on the event loop. /health has its
own one-connection pool, so a saturated API pool does not make the probe fail.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Header, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from api import corrections
from api.auth import Auth, require_roles
from api.images import FORMATS, choose_format, page_etag, render_page
from api.middleware import BodyLimit, SecurityHeaders
from schemas.errors import NotFound, SohoaError, TransientError
from schemas.settings import Settings
from schemas.tables import Batch, Page
from storage import repo, review
from storage.db import make_engine, session_factory, transaction
from storage.objects import open_store
from storage.pageimages import PageImageRef, PageImages
from storage.users import Principal

READERS = ("admin", "reviewer", "viewer")
WRITERS = ("admin", "reviewer")
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Document id")]
PageNo = Annotated[int, Path(ge=1, le=10_000, description="Page number in the file")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1, le=2**31 - 1, description="The version read (or send If-Match)")


class Correction(_Body):
    """A reviewer's correction (or confirmation) of one field. The reviewer is the signed-in user."""

    value: str | None = Field(None, max_length=corrections.MAX_VALUE_CHARS)
    confirm: bool = False


class TypeChange(_Body):
    doc_type: str = Field(max_length=40)


class PageMove(_Body):
    target: int = Field(ge=1, le=2**31 - 1, description="Document of the same file to move the page to")


class UnitChange(_Body):
    unit: str = Field(max_length=20, description="GSO code, or ERA:CODE")


class Values(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, str | None] = Field(max_length=60)


def _version(body: _Body | None, if_match: str | None) -> int:
    """The version a save is based on: the body's, else the If-Match header's (``"3"`` or ``3``)."""
    if body is not None and body.version is not None:
        return body.version
    if if_match:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if tag.isdigit() and 0 < int(tag) < 2**31:
            return int(tag)
    raise HTTPException(status_code=428, detail="send the document's version (in the body or as If-Match)")


def create_app(settings: Settings) -> FastAPI:
    """The app for ``settings``' database and object store."""
    app = FastAPIOffline(title="Sohoa", version="0.1.0",
                         description="Digitised one-stop dossiers: review, export, health.")
    sessions = session_factory(settings.effective_database_url, pool_size=8)
    probe_sessions = sessionmaker(make_engine(settings.effective_database_url, pool_size=1), expire_on_commit=False)
    store = open_store(settings.effective_storage_url)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.store = store
    app.state.auth = Auth(settings.effective_secret_key, settings.token_ttl, sessions, settings.login_attempts,
                          cache_s=settings.auth_cache_s)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    _errors(app)
    reextractor = corrections.Reextractor(settings, sessions, store)

    @app.get("/health", tags=["open"])
    def health() -> dict[str, Any]:
        problems = {}
        try:
            with transaction(probe_sessions) as s:
                s.execute(select(1))
        except Exception as exc:  # report, don't crash the probe
            problems["database"] = type(exc).__name__
        try:
            store.ping()
        except SohoaError as exc:
            problems["store"] = exc.code
        if problems:
            raise HTTPException(status_code=503, detail=problems)
        return {"status": "ok"}

    from prometheus_client import CONTENT_TYPE_LATEST

    from api.ops import ops_router
    from workers.metrics import api_registry, render

    registry, _collector = api_registry(settings, sessions)

    @app.get("/metrics", tags=["open"])
    def metrics() -> Response:
        # Open (Prometheus scrapes it) and free of personal data: counts, queue names, ids only.
        return Response(render(registry), media_type=CONTENT_TYPE_LATEST)

    # Ops pages and JSON (Part 7), for the ops and admin roles.
    app.include_router(ops_router(settings, sessions))

    @app.post("/api/token", tags=["auth"])
    def token(request: Request, username: Annotated[str, Form(max_length=120)],
              password: Annotated[str, Form(max_length=1024)]) -> dict[str, str]:
        """OAuth2 password flow: a signed bearer token that expires after SOHOA_TOKEN_TTL seconds."""
        user = request.app.state.auth.login(request, username, password)
        if user is None:
            raise HTTPException(status_code=401, detail="wrong user name or password",
                                headers={"WWW-Authenticate": "Bearer"})
        return {"access_token": request.app.state.auth.issue_token(user), "token_type": "bearer"}

    @app.post("/api/token/revoke", tags=["auth"], status_code=204, response_class=Response)
    def revoke(request: Request, user: Principal = Depends(require_roles())) -> Response:
        """Sign out everywhere: every token and page session of the signed-in user ends (in this
        server process at once, in the others within SOHOA_AUTH_CACHE_S seconds)."""
        request.app.state.auth.revoke(user)
        return Response(status_code=204)

    @app.get("/api/me", tags=["auth"])
    def me(user: Principal = Depends(require_roles())) -> dict[str, Any]:
        return {"name": user.name, "role": user.role, "unit": user.unit_label}

    @app.get("/api/batches", tags=["ops"])
    def batches(user: Principal = Depends(require_roles("admin", "ops"))) -> list[dict[str, Any]]:
        """Progress of every batch (counts only)."""
        with transaction(sessions) as s:
            names = list(s.scalars(select(Batch.name).order_by(Batch.id)))
            return [{"name": n, **repo.batch_progress(s, n)} for n in names]

    @app.get("/api/documents", tags=["review"])
    async def documents(
        user: Principal = Depends(require_roles(*READERS)),
        batch: Annotated[str | None, Query(max_length=200)] = None,
        doc_type: Annotated[str | None, Query(max_length=40)] = None,
        unit: Annotated[str | None, Query(max_length=20, description="Receiving unit code, or 'none'")] = None,
        field: Annotated[str | None, Query(max_length=40, description="Only with this field to review")] = None,
        max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        status: Annotated[str, Query(pattern="^(needs_review|auto_accepted|reviewed|failed|pending|all)$")] = "needs_review",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        """Documents in your scope, oldest batch and least confident first: ``{"items", "total"}``, no text."""
        flt = review.QueueFilter(batch=batch, doc_type=doc_type, unit=unit, field=field,
                                 max_confidence=max_confidence, status=None if status == "all" else status)
        # Most requests are for a page answered a moment ago: that one is served on the event loop,
        # without a thread hop or the database; the others are computed in the thread pool.
        kept = review.cached_queue(sessions.kw["bind"], user, flt, limit=limit, offset=offset)
        return kept if kept is not None else await run_in_threadpool(listing, user, flt, limit, offset)

    def listing(user: Principal, flt: review.QueueFilter, limit: int, offset: int) -> dict[str, Any]:
        with transaction(sessions) as s:
            return review.queue(s, user, flt, limit=limit, offset=offset)

    @app.get("/api/documents/{document_id}", tags=["review"])
    def document(document_id: DocumentId, response: Response,
                 user: Principal = Depends(require_roles(*READERS))) -> dict[str, Any]:
        """One document: its export record, id, version, checks, units, the documents of its file and dossier."""
        with transaction(sessions) as s:
            record = review.document_view(s, user, document_id)
        response.headers["ETag"] = f'"{record["version"]}"'
        return record

    @app.get("/api/documents/{document_id}/history", tags=["review"])
    def history(document_id: DocumentId, user: Principal = Depends(require_roles(*READERS))) -> list[dict[str, Any]]:
        """The document's review log (append-only), oldest first."""
        with transaction(sessions) as s:
            return review.history(s, user, document_id)

    @app.get("/api/documents/{document_id}/pages/{page_no}/image", tags=["review"],
             response_class=Response, responses={200: {"content": {t: {} for t, _, _ in FORMATS.values()}}})
    def page_image(document_id: DocumentId, page_no: PageNo, request: Request,
                   fmt: Annotated[str | None, Query(alias="format", pattern="^(png|jpeg|webp)$")] = None,
                   user: Principal = Depends(require_roles(*READERS))) -> Response:
        """The page, upright and straightened (the field boxes' coordinates), HTTP-cached."""
        with transaction(sessions) as s:
            key, sha = review.page_image_ref(s, user, document_id, page_no)
            page = s.scalar(select(Page).where(Page.image_key == key))
            rotation, skew = page.rotation or 0, page.skew or 0.0
            image = PageImageRef.of(page)
        fmt = choose_format(fmt, request.headers.get("accept", ""))
        etag = page_etag(sha, page_no, rotation, skew, fmt)
        headers = {"ETag": etag, "Cache-Control": "private, max-age=86400", "Vary": "Accept, Authorization"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        data, media_type = render_page(PageImages(store, settings.max_pixels).load(image), rotation, skew, fmt,
                                       source=lambda: store.get(image.source_key))
        return Response(content=data, media_type=media_type, headers=headers)

    @app.post("/api/documents/{document_id}/check", tags=["review"])
    def check(document_id: DocumentId, body: Values,
              user: Principal = Depends(require_roles(*READERS))) -> dict[str, Any]:
        """The pipeline's validators on values being typed (nothing is stored): per field, the
        normal-form error if any and every check with its result."""
        with transaction(sessions) as s:
            doc = review.get_document(s, user, document_id)
            return corrections.check_values(doc, body.values)

    @app.post("/api/documents/{document_id}/fields/{key}", tags=["review"])
    def correct(document_id: DocumentId, key: Annotated[str, Path(max_length=40, pattern="^[a-z_]+$")],
                body: Correction, if_match: Annotated[str | None, Header()] = None,
                user: Principal = Depends(require_roles(*WRITERS))) -> dict[str, Any]:
        """Correct (or confirm) one field; a stale version is a 409 with the current document."""
        version = _version(body, if_match)
        with transaction(sessions) as s:
            corrections.correct(s, user, document_id, key, body.value, confirm=body.confirm, version=version,
                               gazetteer=reextractor.gazetteer if key == "address" else None)
        return _fresh(user, document_id)

    @app.post("/api/documents/{document_id}/confirm", tags=["review"])
    def confirm_all(document_id: DocumentId, body: _Body, if_match: Annotated[str | None, Header()] = None,
                    user: Principal = Depends(require_roles(*WRITERS))) -> dict[str, Any]:
        """Confirm every field still needing review; the document becomes reviewed."""
        version = _version(body, if_match)
        with transaction(sessions) as s:
            review.confirm_all(s, user, document_id, version=version)
            following = review.next_in_queue(s, user, document_id)
        return {**_fresh(user, document_id), "next": following}

    @app.post("/api/documents/{document_id}/type", tags=["review"])
    def set_type(document_id: DocumentId, body: TypeChange, if_match: Annotated[str | None, Header()] = None,
                 user: Principal = Depends(require_roles(*WRITERS))) -> dict[str, Any]:
        """Change the document's type: its fields are extracted again from its stored OCR."""
        version = _version(body, if_match)
        with transaction(sessions) as s:
            corrections.set_type(s, user, document_id, body.doc_type, version=version, reextract=reextractor)
        return _fresh(user, document_id)

    @app.post("/api/documents/{document_id}/pages/{page_no}/move", tags=["review"])
    def move_page(document_id: DocumentId, page_no: PageNo, body: PageMove,
                  if_match: Annotated[str | None, Header()] = None,
                  user: Principal = Depends(require_roles(*WRITERS))) -> dict[str, Any]:
        """Move a page to another document of the same file; both are extracted again from their stored OCR."""
        version = _version(body, if_match)
        with transaction(sessions) as s:
            corrections.move_page(s, user, document_id, page_no, body.target, version=version, reextract=reextractor)
        return _fresh(user, document_id)

    @app.post("/api/documents/{document_id}/receiving-unit", tags=["review"])
    def receiving_unit(document_id: DocumentId, body: UnitChange, if_match: Annotated[str | None, Header()] = None,
                       user: Principal = Depends(require_roles(*WRITERS))) -> dict[str, Any]:
        """Set the unit that received the document's file (within your own unit)."""
        version = _version(body, if_match)
        with transaction(sessions) as s:
            review.set_receiving_unit(s, user, document_id, body.unit, version=version)
        return _fresh(user, document_id)

    def _fresh(user: Principal, document_id: int) -> dict[str, Any]:
        with transaction(sessions) as s:
            return review.document_view(s, user, document_id)

    from api import pages

    pages.install(app)
    return app


def _errors(app: FastAPI) -> None:
    """Sohoa's errors as HTTP answers: clear 4xx for bad input, 503 for outages, never a 500 with a trace."""

    @app.exception_handler(NotFound)
    def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(review.Conflict)
    def conflict(request: Request, exc: review.Conflict) -> JSONResponse:
        user = getattr(request.state, "user", None)
        current = None
        document_id = request.path_params.get("document_id")
        if user is not None and document_id is not None:
            try:
                with transaction(request.app.state.sessions) as s:
                    current = review.document_view(s, user, int(document_id))
            except NotFound:  # moved out of the user's scope meanwhile
                current = None
        return JSONResponse({"detail": str(exc), "current": current}, status_code=409)

    @app.exception_handler(review.BadReviewInput)
    def bad_input(request: Request, exc: review.BadReviewInput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(TransientError)
    def unavailable(request: Request, exc: TransientError) -> JSONResponse:
        return JSONResponse({"detail": "the database or object store is unavailable: try again shortly"},
                            status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The problems without the input echoed back (it may be long, or personal).
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": problems}, status_code=422)


def app_from_env() -> FastAPI:
    """The app for the SOHOA_* environment: ``uvicorn --factory api.app:app_from_env`` (several
    worker processes: ``--workers N``)."""
    from schemas.settings import load_settings

    return create_app(load_settings())
