"""Ops pages and their JSON (``/ops``, ``/api/ops/…``): queues, workers, throughput, failures,
stalled work with requeue, dead letters with replay, batch ETA.

For the ``ops`` and ``admin`` roles: the JSON behind a bearer token (:func:`api.auth.require_roles`),
the page behind the session cookie with a CSRF token on its forms (:func:`api.auth.require_page_roles`).
Nothing here is scoped by unit: it shows counts, ids, batch names and failure reasons, no field
value. Everything shown comes from :mod:`workers.overview`, the same figures ``sohoa status`` prints.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.auth import check_csrf, page_context, require_page_roles, require_roles

from schemas.errors import NotFound
from storage import ops, repo
from storage.db import transaction
from workers import overview as ov

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
SERVICES_TTL_S = 5.0
"""Seconds the broker's queue depths and the object store's answer to a ping are reused: every ops
page and JSON view shows them, and asking the broker or the store on each request cost more than
the rest of the view."""


OPS_ROLES = ("ops", "admin")
EntityId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Csrf = Annotated[str, Form(max_length=100)]


class _Recent:
    """``compute()``'s answer, reused for ``ttl`` seconds (one request computes it at a time)."""

    def __init__(self, ttl: float, compute) -> None:
        self.ttl, self.compute = ttl, compute
        self.at, self.value = float("-inf"), None
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            if time.monotonic() - self.at >= self.ttl:
                self.value, self.at = self.compute(), time.monotonic()
            return self.value


class _Sender:
    """Sends actor messages from the API process, on a broker built at first use."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.actors: dict[str, Any] | None = None
        self.lock = threading.Lock()

    def check(self) -> None:
        if self.settings.embedded:
            raise HTTPException(status_code=409, detail="SOHOA_BROKER_URL is stub://: no workers to send work to")

    def __call__(self, actor: str, *args: Any) -> None:
        self.check()
        with self.lock:
            if self.actors is None:
                from workers.actors import declare_actors
                from workers.brokers import make_broker
                from workers.middleware import default_middleware

                self.actors = declare_actors(make_broker(self.settings.broker_url,
                                                         middleware=default_middleware(self.settings)))
        try:
            self.actors[actor].send(*args)
        except Exception as exc:
            self.actors = None  # a fresh broker next time
            raise HTTPException(status_code=503, detail=f"broker unavailable: {type(exc).__name__}") from None


def ops_router(settings, sessions) -> APIRouter:
    """The ops pages and JSON for ``settings``' broker and ``sessions``' database."""
    router = APIRouter(dependencies=[Depends(require_roles(*OPS_ROLES))], tags=["ops"])
    pages = APIRouter(dependencies=[Depends(require_page_roles(*OPS_ROLES))], include_in_schema=False)
    send = _Sender(settings)
    queues = _Recent(SERVICES_TTL_S, lambda: ov.read_queues(settings))
    store_error = _Recent(SERVICES_TTL_S, lambda: ov.read_store(settings))

    def view(batch: str | None = None) -> dict[str, Any]:
        return ov.overview(settings, sessions, batch_name=batch, queues=queues(), store_error=store_error())

    @router.get("/api/ops/overview")
    def overview(batch: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
        return view(batch)

    @router.get("/api/ops/queues")
    def queue_depths() -> dict[str, Any]:
        depths, error = queues()
        data = view()
        return {"queues": depths, "broker_error": error, "pages_per_minute": data["throughput"][-10:],
                "outbox": data["outbox"]}

    @router.get("/api/ops/workers")
    def workers() -> dict[str, Any]:
        with transaction(sessions) as s:
            rows = ops.workers(s)
        return {"live": sum(1 for w in rows if w["live"]), "workers": rows}

    @router.get("/api/ops/throughput")
    def throughput(minutes: Annotated[int, Query(ge=1, le=180)] = 60) -> dict[str, Any]:
        with transaction(sessions) as s:
            series = ops.pages_per_minute(s, minutes)
        return {"minutes": minutes, "pages": sum(m["pages"] for m in series), "series": series}

    @router.get("/api/ops/failures")
    def failures() -> list[dict[str, Any]]:
        with transaction(sessions) as s:
            return ops.failures_by_reason(s)

    @router.get("/api/ops/batches")
    def batches() -> list[dict[str, Any]]:
        return view()["batches"]

    @router.get("/api/ops/stalled")
    def stalled() -> dict[str, Any]:
        data = view()
        with transaction(sessions) as s:
            files = ops.stalled_files(s, settings.stall_minutes)
        return {"batches": [b for b in data["batches"] if b["stalled"]], "files": files}

    @router.post("/api/ops/files/{file_id}/requeue")
    def requeue(file_id: EntityId) -> dict[str, Any]:
        try:
            with transaction(sessions) as s:
                repo.get_file(s, file_id)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        send.check()  # before anything is touched: no broker, no requeue
        return ov.requeue_file(sessions, send, file_id)

    @router.get("/api/ops/dead-letters")
    def dead_letters(include_replayed: bool = False) -> list[dict[str, Any]]:
        return ov.dead_letters(sessions, include_replayed=include_replayed)

    @router.post("/api/ops/dead-letters/{letter_id}/replay")
    def replay(letter_id: EntityId) -> dict[str, Any]:
        if not ov.dead_letters_exist(sessions, [letter_id]):
            raise HTTPException(status_code=404, detail=f"no dead letter {letter_id} waiting for replay")
        send.check()
        return {"replayed": ov.replay_dead_letters(sessions, send, [letter_id])}

    # -- HTML ------------------------------------------------------------------------------------

    @pages.get("/ops", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        data = view()
        with transaction(sessions) as s:
            data["failures"] = ops.failures_by_reason(s, per_reason=5)
            data["stalled_files"] = ops.stalled_files(s, settings.stall_minutes, limit=50)
        data["dead"] = ov.dead_letters(sessions, limit=50)
        data["chart"] = chart(data["throughput"])
        return TEMPLATES.TemplateResponse(request, "ops/index.html", page_context(request, **data))

    @pages.post("/ops/files/{file_id}/requeue")
    def requeue_form(request: Request, file_id: EntityId, csrf: Csrf) -> RedirectResponse:
        check_csrf(request, csrf)
        requeue(file_id)
        return RedirectResponse("/ops", status_code=303)

    @pages.post("/ops/dead-letters/{letter_id}/replay")
    def replay_form(request: Request, letter_id: EntityId, csrf: Csrf) -> RedirectResponse:
        check_csrf(request, csrf)
        replay(letter_id)
        return RedirectResponse("/ops", status_code=303)

    both = APIRouter()  # each part keeps its own guard: a page visitor has a cookie, not a token
    both.include_router(router)
    both.include_router(pages)
    return both


def chart(series: list[dict[str, Any]], width: int = 720, height: int = 160) -> dict[str, Any]:
    """Bars of pages per minute as SVG geometry (drawn by the template; no script, no CDN)."""
    top = max([m["pages"] for m in series] + [1])
    step = width / max(1, len(series))
    bars = []
    for index, minute in enumerate(series):
        h = round((height - 20) * minute["pages"] / top, 1)
        bars.append({"x": round(index * step, 1), "y": round(height - 16 - h, 1), "w": max(1.0, round(step - 1, 1)),
                     "h": h, "label": f"{minute['minute'][11:]} UTC: {minute['pages']} pages"})
    ticks = [{"x": round(i * step, 1), "label": series[i]["minute"][11:]} for i in range(0, len(series), 10)]
    return {"width": width, "height": height, "bars": bars, "top": top, "ticks": ticks}

