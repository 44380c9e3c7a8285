"""Per-process runtime: settings, object store, database sessions, OCR engine, analysis context.

Built once per process (after fork: each worker process owns its pools) by :func:`configure`.
Tests pass a fake OCR engine here: the seam, instead of patching internals.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from schemas.settings import Settings
from storage.db import session_factory, transaction
from storage.objects import ObjectStore, open_store

log = logging.getLogger(__name__)

CALIBRATION_CHECK_SECONDS = 60.0
"""How often a worker asks the database whether ``sohoa calibrate`` recorded a newer calibration."""


@dataclass
class Runtime:
    """Everything an actor needs, shared by the threads of one process."""

    settings: Settings
    store: ObjectStore
    sessions: sessionmaker[Session]
    ocr_engine: Any  # ocr.engine.OcrEngine
    actors: dict[str, Any] = field(default_factory=dict)
    calibration_check_seconds: float = CALIBRATION_CHECK_SECONDS
    _analysis_context: Any = None
    _calibration_version: int | None = None
    _checked_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def analysis_context(self):
        """The pipeline's context (gazetteer, calibration, threshold).

        Built once; its calibration is swapped when the database holds a newer one than the one in
        use (checked at most every ``calibration_check_seconds``): a ``sohoa calibrate`` run reaches
        every worker of every machine without shipping a file or restarting anything.
        """
        with self._lock:
            if self._analysis_context is None:
                self._analysis_context = _build_analysis_context(self)
            now = time.monotonic()
            if self._checked_at is None or now - self._checked_at >= self.calibration_check_seconds:
                version = _newest_calibration_version(self)  # a failed check is tried again next call
                self._checked_at = now
                if version != self._calibration_version:
                    calibration = _database_calibration(self, version)
                    self._analysis_context = replace(self._analysis_context, calibration=calibration)
                    self._calibration_version = version
            return self._analysis_context

    def send(self, actor_name: str, *args: Any) -> None:
        """Enqueue a message for one of this process's actors."""
        self.actors[actor_name].send(*args)


def _newest_calibration_version(runtime: Runtime) -> int | None:
    from storage.repo import newest_calibration_version

    with transaction(runtime.sessions) as session:  # an outage here is transient, like any other
        return newest_calibration_version(session)


def _database_calibration(runtime: Runtime, version: int | None):
    """Calibration number ``version`` from the database, or None (then the shipped JSON applies)."""
    if version is None:
        return None
    from pipeline.confidence import Calibration
    from storage.repo import calibration_model

    with transaction(runtime.sessions) as session:
        model = calibration_model(session, version)
    if model is None:
        return None
    calibration = Calibration.from_dict(model)
    calibration.version = f"v{version}-{calibration.version}"
    log.info("using calibration %s from the database (threshold %s)", calibration.version, calibration.threshold)
    return calibration


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
