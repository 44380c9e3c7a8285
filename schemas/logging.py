"""Logs: one JSON object per line, with the batch, file, page and document ids, and no personal data.

Citizens' data must not reach a log: every message (and exception text, including the text of a
database error, which quotes the row that failed) goes through :func:`mask` first. What is masked:

* ID numbers: CCCD (12 digits), CMND (9 digits), and any run of 9 or more digits (passports,
  tax codes, bank accounts), also written with spaces or dots between groups;
* phone numbers: Vietnamese mobiles and landlines, with or without +84 and separators;
* names: a run of two to six capitalised Vietnamese words (``Nguyễn Văn An``, ``NGUYỄN VĂN AN``)
  introduced by a field label (``Họ và tên``, ``Họ, chữ đệm, tên``, ``name=``…) or found in a
  quoted SQL value, and any run that starts with a common Vietnamese family name.

Ids of rows (``file_id=12``) are not personal and are kept; they are passed as ``extra={...}``
and come out as JSON keys. :func:`install` sets this up for a command; ``SOHOA_LOG_FORMAT=text``
keeps the masking with a plain one-line format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

MASK = "***"
ID_KEYS = ("batch", "batch_id", "file_id", "page_id", "document_id", "worker", "queue", "actor", "message_id")

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_WORD = f"[{_UPPER}][{_LOWER}{_UPPER}]*"
_NAME = f"{_WORD}(?:[ \\t]+{_WORD}){{1,5}}"
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lâm", "Mai", "Trương", "Cao", "Tạ")
_FAMILY = "|".join(FAMILY_NAMES + tuple(n.upper() for n in FAMILY_NAMES))

_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    # Phones first (a mobile is 10 digits and would otherwise be taken for an ID number).
    (re.compile(r"(?<![\w.])(?:\+?84[ .-]?|0)(?:\d[ .-]?){8,9}\d(?!\w)"), MASK),
    # ID numbers: 9+ digits, possibly grouped by spaces or dots (not a decimal like 0.95).
    (re.compile(r"(?<![\w.])\d(?:[ .]?\d){8,}(?![\w.]*\d)"), MASK),
    # A labelled name: keep the label, mask the name.
    (re.compile(rf"((?:[Hh]ọ(?:,)?(?: và| chữ đệm,)? tên|HỌ(?: VÀ)? TÊN|[Tt]ên|[Nn]gười [a-zàáạđ ]+|"
                rf"full_name|applicant_name|name)\s*[:=]\s*['\"]?){_NAME}"), rf"\1{MASK}"),
    # A name that starts with a common family name, anywhere (e.g. in a quoted SQL value).
    (re.compile(rf"(?<![\w])(?:{_FAMILY})(?:[ \t]+{_WORD}){{1,5}}"), MASK),
)


def mask(text: str) -> str:
    """``text`` with ID numbers, phone numbers and names replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskingFilter(logging.Filter):
    """Masks the message (after %-formatting) and the exception text of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
            record.exc_info = None  # formatted (and masked) once: the handler must not redo it
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the ids passed in ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "pid": record.process,
        }
        for key in ID_KEYS:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_text or record.exc_info:
            entry["error"] = mask(record.exc_text or self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The plain one-line format, masked, with the ids appended."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{k}={getattr(record, k)}" for k in ID_KEYS if hasattr(record, k))
        return mask(super().format(record)) + (f" [{ids}]" if ids else "")


def install(level: str = "INFO", fmt: str = "json") -> None:
    """Route the root logger to stderr through the masking formatter (replaces earlier handlers)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level))
