"""Per-process runtime: settings, object store, database sessions, OCR engine, analysis context.

Built once per process (after fork: each worker process owns its pools) by :func:`configure`.
Tests pass a fake OCR engine here: the seam, instead of patching internals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from schemas.settings import Settings
from storage.db import session_factory
from storage.objects import ObjectStore, open_store


@dataclass
class Runtime:
    """Everything an actor needs, shared by the threads of one process."""

    settings: Settings
    store: ObjectStore
    sessions: sessionmaker[Session]
    ocr_engine: Any  # ocr.engine.OcrEngine
    actors: dict[str, Any] = field(default_factory=dict)
    _analysis_context: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def analysis_context(self):
        """The pipeline's context (gazetteer, calibration, threshold), loaded once."""
        with self._lock:
            if self._analysis_context is None:
                self._analysis_context = _build_analysis_context(self)
            return self._analysis_context

    def send(self, actor_name: str, *args: Any) -> None:
        """Enqueue a message for one of this process's actors."""
        self.actors[actor_name].send(*args)


def _build_analysis_context(runtime: Runtime):
    from pipeline.analyse import AnalysisContext

    gazetteer = None
    try:
        from storage.refdata import load_gazetteer

        with runtime.sessions() as session:
            gazetteer = load_gazetteer(session)
    except ImportError:  # reference data loader not installed in this build
        gazetteer = None
    return AnalysisContext(gazetteer=gazetteer, review_threshold=runtime.settings.review_threshold)


def default_ocr_engine(settings: Settings):
    """The configured engine: Tesseract, or a plugin ``module:factory`` called with the settings."""
    if settings.ocr_engine == "tesseract":
        from ocr.tesseract import TesseractEngine, check_installation

        check_installation(settings.tesseract_cmd, settings.ocr_lang)  # a wrong setting stops start-up
        return TesseractEngine(lang=settings.ocr_lang, timeout=settings.ocr_timeout, cmd=settings.tesseract_cmd)
    import importlib

    module_name, factory = settings.ocr_engine.split(":", 1)
    try:
        return getattr(importlib.import_module(module_name), factory)(settings)
    except (ImportError, AttributeError) as exc:
        from schemas.errors import ConfigError

        raise ConfigError(f"SOHOA_OCR_ENGINE: cannot load {settings.ocr_engine!r}: {exc}") from exc


_RUNTIME: Runtime | None = None


def configure(settings: Settings, *, ocr_engine: Any = None, store: ObjectStore | None = None) -> Runtime:
    """Create this process's runtime (replacing any earlier one)."""
    global _RUNTIME
    pool = max(2, settings.worker_threads + 1)
    _RUNTIME = Runtime(
        settings=settings,
        store=store or open_store(settings.effective_storage_url),
        sessions=session_factory(settings.effective_database_url, pool_size=pool),
        ocr_engine=ocr_engine or default_ocr_engine(settings),
    )
    return _RUNTIME


def current() -> Runtime:
    """The runtime configured for this process."""
    if _RUNTIME is None:
        raise RuntimeError("workers.runtime.configure(settings) was not called in this process")
    return _RUNTIME
