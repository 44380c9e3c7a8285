"""What the log-privacy tests search the logs for, and how (one helper for the run's and the station's)."""

from __future__ import annotations

import unicodedata

PERSONAL_FIELDS = ("full_name", "id_number", "phone")


def personal_values(rows: list[dict]) -> set[str]:
    """Names, ID numbers and phone numbers of the citizens in the ground truth."""
    values = set()
    for row in rows:
        for document in row["documents"]:
            for key in PERSONAL_FIELDS:
                if document["fields"].get(key):
                    values.add(str(document["fields"][key]))
    return values


def leaks(text: str, secrets: set[str]) -> list[str]:
    """The secrets found in ``text`` (case-insensitive, whatever the Unicode normalisation)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return sorted(s for s in secrets if unicodedata.normalize("NFC", s).casefold() in folded)
