"""The work of each actor, as plain functions of (runtime, ids): load, call ocr/ or pipeline/, persist.

Every step is safe to run twice (a killed worker's message comes back):

* deliveries are counted in the database *before* the work, so a message that kills its worker
  every time is failed after ``max_attempts`` instead of looping; the middleware's own retries
  (``retries``: a transient error, counted by dramatiq and bounded by the queue table) are not
  crashes and are subtracted from a file's count, or it would be failed before its transient
  retries are used up. A page's delivery that ends with an error is un-counted instead: a page
  can have two copies of its message (a redelivery, a re-sent ingest), whose deliveries one
  message's ``retries`` cannot cancel, and during a store outage they would fail the page as
  too_many_attempts within seconds;
* writes are upserts by natural keys (file + page number, file + document seq, document + field);
* the fan-in (last page triggers analysis) is a conditional UPDATE that succeeds once, in the same
  transaction as the page's result and an outbox row for the analysis message: the message is
  sent after the commit and the row deleted; if the broker was down at that moment the relay
  (:func:`relay_outbox`) sends it again after a short bound, so no file waits for a sweep;
* the ops counters (pages, files, documents, failures) are added in the transaction that makes
  the transition they count, so they agree with the rows;
* a page's raw image is a hand-off from ingest to reading (grey, its red ink separated already),
  deleted once its file is analysed
  (after the commit; a page that failed keeps its own): the store keeps the scans as they came,
  and the review station and the PDF export decode a page again from its scan
  (:mod:`storage.pageimages`).

Permanent errors are recorded on the file or page and end the step; transient errors propagate so
that the Retries middleware retries with backoff.
"""

from __future__ import annotations

import logging

from ocr.decode import RawPage, count_pages, decode_raw_page, iter_pages, raw_page_parts
from ocr.page import PageOptions, read_page as read_page_image, separate_red_ink
from schemas.errors import NotFound, PermanentError, TooManyAttempts, TransientError
from schemas.manifest import check_against_manifest
from schemas.pages import PageText
from schemas.results import DocumentResult
from schemas.stagetimes import timed
from schemas.tables import Page
from storage import ops, repo, review
from storage.db import transaction
from storage.pageimages import PageImageRef, PageImages, drop_hand_offs
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

    with timed("store"):
        data = rt.store.get(key)
    try:
        stored = _store_pages(rt, data, name, sha)
    except PermanentError as exc:
        _fail_file(rt, source_file_id, exc)
        return []

    with timed("save"), transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id, lock=True)
        pages = repo.upsert_pages(s, source_file_id, [(n, page_image_key(sha, n), dpi) for n, dpi in stored])
        source.page_count = len(stored)
        source.status = "reading"
    return [page_id for page_id, status in pages if status == "pending"]


def _store_pages(rt: Runtime, data: bytes, name: str, sha: str) -> list[tuple[int, int]]:
    """Split the file and store each page image as it comes: one page raster in memory at a time.

    Images are stored before any row points at them. Returns (page number, dpi) of every page.
    """
    limit = rt.settings.max_pages_per_file
    declared = count_pages(data, name)
    if declared is not None and declared > limit:
        raise PermanentError(f"{name}: {declared} pages, more than {limit} (SOHOA_MAX_PAGES_PER_FILE); split the file",
                             code="too_many_pages")
    stored: list[tuple[int, int]] = []
    pages = iter_pages(data, name, dpi=rt.settings.ocr_dpi, max_pixels=rt.settings.max_pixels)
    while True:
        with timed("decode"):
            raw = next(pages, None)
        if raw is None:
            break
        if raw.page_no > limit:
            raise PermanentError(f"{name}: more than {limit} pages (SOHOA_MAX_PAGES_PER_FILE); split the file",
                                 code="too_many_pages")
        with timed("clean"):
            raw = separate_red_ink(raw)  # the page path's first step: a third of the bytes to hand off
        with timed("store"):
            rt.store.put(page_image_key(sha, raw.page_no), raw_page_parts(raw))
        stored.append((raw.page_no, raw.dpi))
        del raw  # the next page's raster must not meet this one in memory
    if not stored:
        raise PermanentError("the file has no pages", code="no_pages")
    return stored


def _fail_file(rt: Runtime, source_file_id: int, error: PermanentError) -> None:
    log.warning("file failed: %s", error.reason, extra={"file_id": source_file_id})
    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id, lock=True)
        counted = source.status != "failed"
        repo.fail_file(s, source, error.reason)
        if counted:
            ops.count(s, [(ops.FILES, "failed", 1), (ops.FAILURES, ops.reason_code(error.reason), 1)])


# -- read one page -------------------------------------------------------------------------------

def read_page(rt: Runtime, page_id: int) -> int | None:
    """Run the page path on one page; returns the file id if this call completed the file (fan-in).

    A delivery that ends with an error is un-counted (see the module docstring), so the count says
    how many deliveries died with their worker, whichever copy of the message they came from.
    """
    with transaction(rt.sessions) as s:
        start = repo.start_page(s, page_id)  # one statement: the delivery is counted before the work
        if start is None:  # finished by an earlier delivery, whose claim of the analysis may be missing
            return _claim_in(s, repo.file_of_page(s, page_id))
    if start.attempts > rt.settings.max_attempts:
        error = TooManyAttempts(f"page {start.page_no} was attempted {start.attempts - 1} times without finishing")
        return _finish_page(rt, page_id, start.source_file_id, None, None, error.reason)
    try:
        return _read_started_page(rt, page_id, start)
    except Exception:
        _end_delivery(rt, page_id)  # it ended (and is retried or dead-lettered): not a crash
        raise


def _end_delivery(rt: Runtime, page_id: int) -> None:
    try:
        with transaction(rt.sessions) as s:
            repo.end_page_delivery(s, page_id)
    except TransientError as exc:  # the database is away too: this delivery stays counted
        log.warning("page delivery not un-counted: %s", exc.code, extra={"page_id": page_id})


def _read_started_page(rt: Runtime, page_id: int, start: repo.PageStart) -> int | None:
    image_key, page_no, source_file_id, sha = start.image_key, start.page_no, start.source_file_id, start.sha256
    try:
        with timed("store"):
            raw = _page_image(rt, page_id, image_key)
        text = read_page_image(raw, rt.ocr_engine, _page_options(rt))
    except PermanentError as exc:
        log.warning("page %s failed: %s", page_no, exc.reason, extra={"file_id": source_file_id, "page_id": page_id})
        return _finish_page(rt, page_id, source_file_id, None, None, exc.reason)
    words_key = page_words_key(sha, page_no)
    with timed("save"):
        # Unset optional keys left out (a word's second-reading confidences are rarely set): they
        # read back as their defaults, and a 500-word page is ~40% smaller to write and parse.
        rt.store.put(words_key, text.model_dump_json(exclude_none=True).encode(), "application/json")
    return _finish_page(rt, page_id, source_file_id, text, words_key, None)


def _page_image(rt: Runtime, page_id: int, image_key: str) -> RawPage:
    """The page's hand-off; if it is gone (deleted with its analysed file, now read again; or lost),
    the page decoded again from its scan."""
    try:
        return decode_raw_page(rt.store.get_view(image_key))
    except NotFound:
        log.info("page hand-off missing: decoding the page from its scan", extra={"page_id": page_id})
    with transaction(rt.sessions) as s:
        ref = PageImageRef.of(s.get(Page, page_id))
    return PageImages(rt.store, rt.settings.max_pixels).from_scan(ref)


def _page_options(rt: Runtime) -> PageOptions:
    return PageOptions(dpi=rt.settings.ocr_dpi, lang=rt.settings.ocr_lang)


def _finish_page(rt: Runtime, page_id: int, source_file_id: int, text: PageText | None,
                 words_key: str | None, error: str | None) -> int | None:
    """Record the page's result, count it, and claim the file's analysis if it was the last page.

    One transaction: the page's result, its counters, the fan-in claim and the outbox row of the
    analysis message commit together or not at all. A page that is not its file's last costs three
    statements (the page, the file's counter, the ops counters); the last one adds the claim.
    """
    with timed("save"), transaction(rt.sessions) as s:
        finished = repo.finish_page(s, page_id, text=text, words_key=words_key, error=error)
        if finished is None:  # finished by another delivery, whose claim may be missing
            return _claim_in(s, source_file_id)
        ops.count(s, ops.page_finished(finished.batch_id, error is not None, error))
        return _claim_in(s, source_file_id) if finished.completes_file else None


def _claim_analysis(rt: Runtime, source_file_id: int) -> int | None:
    with transaction(rt.sessions) as s:
        return _claim_in(s, source_file_id)


def _claim_in(s, source_file_id: int) -> int | None:
    """The fan-in claim, with the outbox row of the analysis message in the same transaction."""
    if repo.claim_analysis(s, source_file_id):
        ops.add_outbox(s, "analyse_file", source_file_id)
        return source_file_id
    return None


def sent(rt: Runtime, actor_name: str, entity_id: int) -> None:
    """The broker took the message of an outbox row: delete the row."""
    with transaction(rt.sessions) as s:
        ops.sent(s, actor_name, entity_id)


def relay_outbox(rt: Runtime, older_than_s: float) -> int:
    """Send outbox messages left unsent for ``older_than_s`` seconds; returns how many were sent.

    Each row is claimed by one relay; a send that fails (broker still down) leaves the row for the
    next round. Called every few seconds by each worker process and by the sweep.
    """
    with transaction(rt.sessions) as s:
        claimed = ops.claim_outbox(s, older_than_s)
    done = 0
    for actor_name, entity_id in claimed:
        try:
            rt.send(actor_name, entity_id)
        except Exception as exc:  # the broker is still away: the row stays, the next round tries
            log.warning("outbox: %s(%s) not sent yet (%s)", actor_name, entity_id, type(exc).__name__)
            break
        sent(rt, actor_name, entity_id)
        done += 1
    if done:
        log.warning("outbox: re-sent %s message(s) whose send had failed", done)
    return done


# -- analyse a file ------------------------------------------------------------------------------

def analyse_file(rt: Runtime, source_file_id: int, retries: int = 0) -> None:
    """Cut the file's read pages into documents, classify, extract, score, persist.

    ``retries``: how many times the middleware already retried this message (not crashes).
    Deliveries are counted while the file waits for its analysis, as for pages: an analysis that
    kills its worker every time fails the file after ``max_attempts``. Re-analysing a ``done``
    file (a duplicate message, reprocessing) is not counted: it already succeeded once.
    """
    from pipeline.analyse import analyse_pages
    from pipeline.dossier import link_documents

    with transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id)
        if source.status not in ("analysing", "done"):
            return  # not ready (or failed): nothing to do
        attempts = repo.count_attempt_on_file(s, source_file_id) if source.status == "analysing" else 0
        rows = repo.pages_of(s, source_file_id)
        pages = [(p.page_no, p.status, p.words_key, p.error) for p in rows]
        read_images = [p.image_key for p in rows if p.status == "done" and p.image_key]
    if attempts - retries > rt.settings.max_attempts:
        _fail_file(rt, source_file_id, TooManyAttempts(f"analysis was attempted {attempts - 1} times without finishing"))
        return

    texts: list[PageText] = []
    failed: list[DocumentResult] = []
    for page_no, status, words_key, error in pages:
        if status == "done" and words_key:
            try:
                with timed("store"):
                    texts.append(PageText.model_validate_json(rt.store.get(words_key)))
            except NotFound:
                failed.append(_failed_page_document(page_no, "words_missing: the page's words are not in the store"))
        else:
            failed.append(_failed_page_document(page_no, error or "page was not read"))

    with timed("analyse"):
        results = analyse_pages(texts, rt.analysis_context()) if texts else []
    if not results and not failed:
        # Only blank pages: still one record, so the archive team sees what became of the file.
        results = [DocumentResult(doc_type="khac", pages=[p[0] for p in pages], status="needs_review",
                                  error="blank: no text was found on any page")]
    results = sorted(results + failed, key=lambda d: min(d.pages) if d.pages else 0)
    with timed("save"), transaction(rt.sessions) as s:
        source = repo.get_file(s, source_file_id, lock=True)
        first_time = source.status == "analysing"
        results = check_against_manifest(results, source.manifest)
        docs = repo.save_documents(s, source, results)
        dossier = repo.link_dossier(s, docs, link_documents(repo.current_values(s, docs)))
        dossier_from_manifest(s, source, docs, dossier)
        review.receiving_unit_from_header(s, source_file_id, dossier)
        if first_time:  # a re-analysis of a done file is not new work
            ops.count(s, [(ops.FILES, "done", 1)] + [(ops.DOCUMENTS, d.status, 1) for d in results])
    with timed("store"):
        # After the commit: a worker that dies here leaves hand-offs a re-analysis deletes. A page
        # that failed keeps its own, for --retry-failed.
        drop_hand_offs(rt.store, read_images)


def dossier_from_manifest(s, source, docs, dossier) -> None:
    """The manifest's values complete the dossier: its code when no document printed one, and the
    procedure, receiving unit and received date the documents did not give."""
    from sqlalchemy import select

    from schemas.tables import Dossier, Procedure

    manifest = source.manifest or {}
    if dossier is None and manifest.get("dossier_code") and docs:
        code = manifest["dossier_code"]
        dossier = s.scalar(select(Dossier).where(Dossier.dossier_code == code))
        if dossier is None:
            dossier = Dossier(dossier_code=code, status_code=2)  # 2 = được tiếp nhận
            s.add(dossier)
            s.flush()
        for doc in docs:
            doc.dossier_id = dossier.id
    if dossier is None:
        return
    if dossier.procedure_id is None and manifest.get("procedure_code"):
        dossier.procedure_id = s.scalar(select(Procedure.id).where(Procedure.code == manifest["procedure_code"]))
    if dossier.unit_id is None and source.receiving_unit_id is not None:
        dossier.unit_id = source.receiving_unit_id
    if dossier.received_date is None and manifest.get("received_date"):
        import datetime as dt

        dossier.received_date = dt.date.fromisoformat(manifest["received_date"])
    s.flush()


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
            source_file_id = repo.file_of_page(s, args[0])
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
