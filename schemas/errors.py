"""The one error hierarchy of Sohoa.

Every stage raises one of these; the boundary (actors, CLI, API) decides what to do:

* :class:`PermanentError` - the input itself is bad (corrupt scan, encrypted PDF, unsupported
  format, image beyond the pixel budget). Retrying cannot help: the document fails at once with
  the error's ``reason`` stored on it, the rest of the batch goes on.
* :class:`TransientError` - something around the input is down (database, object store, broker,
  a timed-out external program). The actor retries with bounded exponential backoff.
* :class:`ConfigError` - a setting is wrong; start-up stops with a message naming the variable.

``code`` is a short stable machine-readable slug (stored in the database and the export),
``str(error)`` the human explanation.
"""

from __future__ import annotations


class SohoaError(Exception):
    """Base of every error Sohoa raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def reason(self) -> str:
        """``code: message`` - what is stored on a failed document or page."""
        return f"{self.code}: {self}"


class ConfigError(SohoaError):
    """A ``SOHOA_*`` setting is missing or invalid."""

    code = "config"


class PermanentError(SohoaError):
    """The input cannot be processed; retrying will not help."""

    code = "permanent"


class UnsupportedFormat(PermanentError):
    code = "unsupported_format"


class CorruptFile(PermanentError):
    code = "corrupt_file"


class EncryptedFile(PermanentError):
    code = "encrypted"


class ImageTooLarge(PermanentError):
    code = "image_too_large"


class ImageTooSmall(PermanentError):
    """A page a few pixels wide (a 1x1 image): it cannot hold a line of text."""

    code = "image_too_small"


class ScanFault(PermanentError):
    """The page is not a picture of paper (all black: lid open, lamp or exposure fault); rescan it."""

    code = "scan_fault"


class OcrFailed(PermanentError):
    """Tesseract rejected the page (it exited with an error on this image)."""

    code = "ocr_failed"


class TooManyAttempts(PermanentError):
    """A message was delivered more times than allowed (e.g. it kills its worker)."""

    code = "too_many_attempts"


class TransientError(SohoaError):
    """Something the input depends on is temporarily unavailable; retry later."""

    code = "transient"


class StoreUnavailable(TransientError):
    code = "store_unavailable"


class DatabaseUnavailable(TransientError):
    code = "database_unavailable"


class OcrTimeout(TransientError):
    """Tesseract did not finish within its time limit (machine overloaded, or a pathological page)."""

    code = "ocr_timeout"


class NotFound(PermanentError):
    """An object or row that a message refers to does not exist."""

    code = "not_found"
