"""The work of each actor, as plain functions of (runtime, ids): load, call ocr/ or pipeline/, persist.

Every step is safe to run twice (a killed worker's message comes back):

* deliveries are counted in the database *before* the work, so a message that kills its worker
  every time is failed after ``max_attempts`` instead of looping; the middleware's own retries
  (``retries``: a transient error, counted by dramatiq and bounded by the queue table) are not
  crashes and are subtracted, or a page would be failed before its transient retries are used up;
* writes are upserts by natural keys (file + page number, file + document seq, document + field);
* the fan-in (last page triggers analysis) is a conditional UPDATE that succeeds once.

Permanent errors are recorded on the file or page and end the step; transient errors propagate so
that the Retries middleware retries with backoff.
"""

from __future__ import annotations

import logging

from ocr.decode import decode_raw_page, encode_raw_page, split_pages
from ocr.page import PageOptions, read_page as read_page_image
from schemas.errors import NotFound, PermanentError, TooManyAttempts, TransientError
from schemas.pages import PageText
from schemas.results import DocumentResult
from storage import repo, review
from storage.db import transaction
from workers.runtime import Runtime

log = logging.getLogger("sohoa.workers")


def page_image_key(sha256: str, page_no: int) -> str:
    return f"pages/{sha256[:2]}/{sha256}/{page_no:04d}.raw"


def page_words_key(sha256: str, page_no: int) -> str:
    return f"pages/{sha256[:2]}/{sha256}/{page_no:04d}.words.json"


# -- ingest --------------------------------------------------------------------------------------

def ingest_file(rt: Runtime, source_file_id: int, retries: int = 0) -> list[int]:
    """Split a stored file into stored page images and page rows; returns the page ids to read.

    ``retries``: how many times the middleware already retried this message (not crashes).
    """
    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id)
        if source.status in ("done", "failed", "analysing"):
            return []  # already past this step: a redelivered message
        if source.status == "reading":
            # Pages were made by an earlier delivery that died before enqueueing all of them.
            return [p.id for p in repo.pages_of(s, source_file_id) if p.status == "pending"]
        attempts = repo.count_attempt_on_file(s, source_file_id)
        key, sha, name = source.object_key, source.sha256, source.original_path
    if attempts - retries > rt.settings.max_attempts:
        _fail_file(rt, source_file_id, TooManyAttempts(f"ingest was attempted {attempts - 1} times"))
        return []

    data = rt.store.get(key)
    try:
        raw_pages = list(split_pages(data, name, dpi=rt.settings.ocr_dpi, max_pixels=rt.settings.max_pixels))
        if not raw_pages:
            raise PermanentError("the file has no pages", code="no_pages")
    except PermanentError as exc:
        _fail_file(rt, source_file_id, exc)
        return []

    for raw in raw_pages:  # store images first: a row never points at a missing object
        rt.store.put(page_image_key(sha, raw.page_no), encode_raw_page(raw))
    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id, lock=True)
        page_ids = []
        for raw in raw_pages:
            page = repo.upsert_page(s, source_file_id, raw.page_no, image_key=page_image_key(sha, raw.page_no),
                                    dpi=raw.dpi)
            if page.status == "pending":
                page_ids.append(page.id)
        source.page_count = len(raw_pages)
        source.status = "reading"
    return page_ids


def _fail_file(rt: Runtime, source_file_id: int, error: PermanentError) -> None:
    log.warning("file %s failed: %s", source_file_id, error.reason)
    with transaction(rt.sessions) as s:
        repo.fail_file(s, repo.get_file(s, source_file_id, lock=True), error.reason)


# -- read one page -------------------------------------------------------------------------------

def read_page(rt: Runtime, page_id: int, retries: int = 0) -> int | None:
    """Run the page path on one page; returns the file id if this call completed the file (fan-in).

    ``retries``: how many times the middleware already retried this message (not crashes).
    """
    with transaction(rt.sessions) as s:
        page = repo.get_page(s, page_id)
        if page.status != "pending":
            return _claim_analysis(rt, page.source_file_id)
        attempts = repo.count_attempt_on_page(s, page_id)
        image_key, page_no = page.image_key, page.page_no
        source_file_id = page.source_file_id
        sha = page.source_file.sha256
    if attempts - retries > rt.settings.max_attempts:
        error = TooManyAttempts(f"page {page_no} was attempted {attempts - 1} times without finishing")
        return _finish_page(rt, page_id, source_file_id, None, None, error.reason)

    try:
        raw = decode_raw_page(rt.store.get(image_key))
        text = read_page_image(raw, rt.ocr_engine, _page_options(rt))
    except PermanentError as exc:
        log.warning("page %s of file %s failed: %s", page_no, source_file_id, exc.reason)
        return _finish_page(rt, page_id, source_file_id, None, None, exc.reason)
    words_key = page_words_key(sha, page_no)
    rt.store.put(words_key, text.model_dump_json().encode(), "application/json")
    return _finish_page(rt, page_id, source_file_id, text, words_key, None)


def _page_options(rt: Runtime) -> PageOptions:
    return PageOptions(dpi=rt.settings.ocr_dpi, lang=rt.settings.ocr_lang)


def _finish_page(rt: Runtime, page_id: int, source_file_id: int, text: PageText | None,
                 words_key: str | None, error: str | None) -> int | None:
    with transaction(rt.sessions) as s:
        repo.finish_page(s, page_id, text=text, words_key=words_key, error=error)
    return _claim_analysis(rt, source_file_id)


def _claim_analysis(rt: Runtime, source_file_id: int) -> int | None:
    with transaction(rt.sessions) as s:
        return source_file_id if repo.claim_analysis(s, source_file_id) else None


# -- analyse a file ------------------------------------------------------------------------------

def analyse_file(rt: Runtime, source_file_id: int, retries: int = 0) -> None:
    """Cut the file's read pages into documents, classify, extract, score, persist.

    ``retries``: how many times the middleware already retried this message (not crashes).
    Deliveries are counted while the file waits for its analysis, as for pages: an analysis that
    kills its worker every time fails the file after ``max_attempts``. Re-analysing a ``done``
    file (a duplicate message, reprocessing) is not counted: it already succeeded once.
    """
    from pipeline.analyse import analyse_pages

    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id)
        if source.status not in ("analysing", "done"):
            return  # not ready (or failed): nothing to do
        attempts = repo.count_attempt_on_file(s, source_file_id) if source.status == "analysing" else 0
        pages = [(p.page_no, p.status, p.words_key, p.error) for p in repo.pages_of(s, source_file_id)]
    if attempts - retries > rt.settings.max_attempts:
        _fail_file(rt, source_file_id, TooManyAttempts(f"analysis was attempted {attempts - 1} times without finishing"))
        return

    texts: list[PageText] = []
    failed: list[DocumentResult] = []
    for page_no, status, words_key, error in pages:
        if status == "done" and words_key:
            try:
                texts.append(PageText.model_validate_json(rt.store.get(words_key)))
            except NotFound:
                failed.append(_failed_page_document(page_no, "words_missing: the page's words are not in the store"))
        else:
            failed.append(_failed_page_document(page_no, error or "page was not read"))

    results = analyse_pages(texts, rt.analysis_context()) if texts else []
    if not results and not failed:
        # Only blank pages: still one record, so the archive team sees what became of the file.
        results = [DocumentResult(doc_type="khac", pages=[p[0] for p in pages], status="needs_review",
                                  error="blank: no text was found on any page")]
    results = sorted(results + failed, key=lambda d: min(d.pages) if d.pages else 0)
    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id, lock=True)
        docs = repo.save_documents(s, source, results)
        dossier = repo.link_dossier(s, docs)
        review.receiving_unit_from_header(s, source_file_id, dossier)


def _failed_page_document(page_no: int, reason: str) -> DocumentResult:
    """A page that could not be read becomes its own failed document: never silently dropped."""
    return DocumentResult(doc_type="khac", pages=[page_no], status="failed", error=reason)


# -- giving up and sweeping ----------------------------------------------------------------------

def give_up(rt: Runtime, actor_name: str, args: tuple, reason: str) -> int | None:
    """A message is dead-lettered: record the failure on its file or page so the batch still ends.

    Returns a file id whose analysis should now be enqueued (when a dead page was the last one).
    """
    if not args:
        return None
    if actor_name == "ingest_file":
        _fail_file(rt, args[0], PermanentError(reason, code="dead_letter"))
    elif actor_name == "read_page":
        with transaction(rt.sessions) as s:
            page = repo.get_page(s, args[0])
            source_file_id = page.source_file_id
        return _finish_page(rt, args[0], source_file_id, None, None, f"dead_letter: {reason}")
    elif actor_name == "analyse_file":
        _fail_file(rt, args[0], PermanentError(reason, code="dead_letter"))
    return None


def claim_stalled_work(rt: Runtime, older_than_s: float) -> dict[str, list[int]]:
    """Work whose message was lost (e.g. a crash between commit and enqueue), claimed for re-sending.

    A step whose queue still holds messages is skipped: its work may only be waiting its turn in a
    backlog, and re-sending it would multiply the queue; it is swept once the queue has drained.
    """
    skip = waiting_steps(rt)
    with transaction(rt.sessions) as s:
        return repo.claim_stalled(s, older_than_s, skip=skip)


def waiting_steps(rt: Runtime) -> set[str]:
    """Actors whose queue has messages ready or delayed (all of them if the broker does not answer)."""
    from workers.brokers import queue_depths
    from workers.queues import BY_ACTOR

    steps = {name: BY_ACTOR[name].queue for name in repo.STALLED_STEPS}
    broker = rt.actors["sweep_stalled"].broker
    try:
        depths = queue_depths(broker, sorted(set(steps.values())))
    except TransientError as exc:
        log.warning("sweep: queue depths unknown (%s); re-sending nothing this time", exc.reason)
        return set(steps)
    return {name for name, queue in steps.items() if depths[queue]["ready"] or depths[queue]["delayed"]}
