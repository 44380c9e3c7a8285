"""FastAPI application: REST API over the records, reviewer corrections, health and metrics.

The reviewer pages and ops pages build on these endpoints (later parts); every handler goes
through ``storage/`` and keeps its transaction short.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from schemas.errors import NotFound, SohoaError
from schemas.export import check_field_value
from schemas.settings import Settings
from schemas.tables import Batch, Document, Dossier, FieldValue
from storage import repo
from storage.db import session_factory, transaction
from storage.export import build_record, iter_records
from storage.objects import open_store


class Correction(BaseModel):
    """A reviewer's correction (or confirmation) of one field."""

    value: str | None = None
    reviewer: str
    confirm: bool = False


def create_app(settings: Settings) -> FastAPI:
    """The API for ``settings``' database and object store."""
    app = FastAPI(title="Sohoa", version="0.1.0")
    sessions = session_factory(settings.effective_database_url, pool_size=4)
    store = open_store(settings.effective_storage_url)

    @app.get("/health")
    def health() -> dict[str, Any]:
        problems = {}
        try:
            with transaction(sessions) as s:
                s.execute(select(1))
        except Exception as exc:  # report, don't crash the probe
            problems["database"] = str(exc)
        try:
            store.ping()
        except SohoaError as exc:
            problems["store"] = str(exc)
        if problems:
            raise HTTPException(status_code=503, detail=problems)
        return {"status": "ok"}

    from prometheus_client import CONTENT_TYPE_LATEST

    from api.ops import open_guard, ops_router
    from workers.metrics import api_registry, render

    registry, _collector = api_registry(settings, sessions)

    @app.get("/metrics")
    def metrics() -> Response:
        # Open (Prometheus scrapes it) and free of personal data: counts, queue names, ids only.
        return Response(render(registry), media_type=CONTENT_TYPE_LATEST)

    # Ops pages (Part 7); the lead passes guard=require_roles("ops", "admin") once auth is merged.
    app.include_router(ops_router(settings, sessions, guard=open_guard))

    @app.get("/api/batches")
    def batches() -> list[dict[str, Any]]:
        with transaction(sessions) as s:
            names = list(s.scalars(select(Batch.name).order_by(Batch.id)))
            return [{"name": n, **repo.batch_progress(s, n)} for n in names]

    @app.get("/api/documents")
    def documents(
        batch: str | None = None,
        status: str | None = None,
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0),
    ) -> list[dict[str, Any]]:
        with transaction(sessions) as s:
            records = (r for r in iter_records(s, batch) if status is None or r["status"] == status)
            return [r for i, r in enumerate(records) if offset <= i < offset + limit]

    @app.get("/api/documents/{document_id}")
    def document(document_id: int) -> dict[str, Any]:
        with transaction(sessions) as s:
            return _record(s, document_id)

    @app.post("/api/documents/{document_id}/fields/{key}")
    def correct(document_id: int, key: str, body: Correction) -> dict[str, Any]:
        if not body.confirm and body.value is not None:
            # Stored as typed (after clean()), so it must already be in the export's normal form:
            # a date typed 05/03/2020 would otherwise break every later export of the batch.
            try:
                check_field_value(key, " ".join(body.value.split()) or None)
            except ValueError as exc:
                raise HTTPException(status_code=422, detail=str(exc)) from None
        try:
            with transaction(sessions) as s:
                repo.correct_field(s, document_id, key, body.value, body.reviewer, confirm=body.confirm)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        with transaction(sessions) as s:
            return _record(s, document_id)

    return app


def _record(session, document_id: int) -> dict[str, Any]:
    """The document's export record, with what explains it: its id, the cues for its type (in the
    record as ``type_cues``) and, per field, the validators' results (``checks``) and why the value
    is unsure (``note``)."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"document {document_id} does not exist")
    source = doc.source_file
    pages = {p.page_no: p for p in source.pages}
    dossier_code = session.scalar(select(Dossier.dossier_code).where(Dossier.id == doc.dossier_id)) \
        if doc.dossier_id else None
    record = build_record(doc, source, source.batch, pages, dossier_code)
    record["id"] = doc.id
    current = {f.key: f for f in session.scalars(
        select(FieldValue).where(FieldValue.document_id == doc.id, FieldValue.is_current))}
    for key, field in record["fields"].items():
        row = current.get(key)
        field["checks"] = dict(row.checks or {}) if row is not None else {}
        field["note"] = row.note if row is not None else None
        field["origin"] = row.origin if row is not None else None
    return record
