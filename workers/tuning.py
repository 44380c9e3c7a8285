"""Process settings for throughput, applied by the processes that read pages (``sohoa run``'s
embedded worker, each ``sohoa worker`` process) once they have started up.

* **One OpenCV thread per worker thread.** OCR runs one page per worker thread and one worker
  thread per core; OpenCV's own pool (one thread per core by default) would only make each page's
  steps fight the other pages for the same cores (and hide their CPU from the stage account,
  which times each worker thread). ``sohoa worker`` processes also get ``OPENCV_FOR_THREADS_NUM=1``
  before OpenCV loads (:func:`scripts.common.one_thread_per_library`); ``sohoa run`` has imported
  OpenCV by the time it starts its worker, hence the call here.
* **A garbage collector that does not rescan the start-up heap.** ``gc.freeze()`` moves everything
  allocated so far (modules, settings, SQLAlchemy metadata) out of the collector's sight, and a
  larger first-generation threshold makes collections rarer: a page allocates tens of thousands of
  short-lived objects (words, boxes, rows), and with the default (700) the collector ran ~40 times
  per page. Measured on 12 bench pages in ``sohoa run``: 0.31 CPU s in 487 collections with the
  default, 0.07 s in 57 with these settings; the cycles are rare (pydantic models, SQLAlchemy rows)
  and are still collected, later. Every ``sohoa`` command starts with these thresholds
  (:func:`quiet_start_up_collector`): importing the modules a worker needs allocates a few hundred
  thousand long-lived objects, and the default threshold rescanned them in ~250 collections (0.3 CPU
  s of the ~1.8 s start-up of ``sohoa run``, measured with ``gc.callbacks``).
* **No collection of the whole heap at exit.** When the interpreter ends it drops every module and
  collects what they held, object by object: the models, tables and caches a run loaded, freed
  only to hand the memory back to the system, which takes it back at once anyway (CPU that the
  stage account, written before, cannot see). :func:`leave_heap_to_the_system` freezes the heap as
  the command ends, so that the interpreter's last collections pass it by; objects freed by their
  count alone (a file closed when its module is cleared) still are, and the ``atexit`` handlers
  still run.
* **A worker process holds no more messages of a queue than it has threads** (dramatiq's default
  is twice as many). A page taken into a busy process waits there while another process may sit
  idle; at the end of a batch that is a core idle for up to a page's reading. (``sohoa run``'s
  embedded worker is one process: its threads share what it holds.)

Light to import (OpenCV is imported when the worker is tuned), so that the command line can call
:func:`quiet_start_up_collector` before anything else.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (20_000, 20, 20)


def quiet_start_up_collector() -> None:
    """The worker's collector thresholds from the start of the process (see above)."""
    gc.set_threshold(*GC_THRESHOLDS)


def leave_heap_to_the_system() -> None:
    """As a command ends: the interpreter's exit collections skip what is left (see above)."""
    gc.freeze()


def tune_worker_process() -> None:
    """Apply the settings above to this process (idempotent)."""
    import cv2

    cv2.setNumThreads(1)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def hold_one_message_per_thread(worker, threads: int) -> None:
    """Before ``worker.start()``: each queue's consumer prefetches ``threads`` messages (see above)."""
    worker.queue_prefetch = max(1, threads)
