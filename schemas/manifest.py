"""The upload manifest's columns, and where a document disagrees with its row (pure: no I/O).

The manifest itself - its schema, reading and checking - is :mod:`workers.manifest`.
"""

from __future__ import annotations

import unicodedata

COLUMNS = ("file", "dossier_code", "procedure_code", "receiving_unit", "received_date", "note")

# Manifest columns that a document may also state (the receipt prints them), by field key.
COMPARED = ("dossier_code", "procedure_code", "received_date")


def disagreements(manifest: dict | None, fields: dict[str, str | None]) -> dict[str, tuple[str, str]]:
    """{key: (what the document reads, what the manifest says)} where both have a value and differ."""
    if not manifest:
        return {}
    out = {}
    for key in COMPARED:
        said, read = manifest.get(key), fields.get(key)
        if said and read and _comparable(read) != _comparable(said):
            out[key] = (read, said)
    return out


def _comparable(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().upper()


def check_against_manifest(results: list, manifest: dict | None) -> list:
    """The analysis results with every field that disagrees with the manifest sent to review.

    The document's reading is kept (the reviewer decides); the field's note says what the
    manifest says, and a document that would have been auto-accepted needs review.
    """
    if not manifest:
        return results
    checked = []
    for result in results:
        found = disagreements(manifest, {k: f.value for k, f in result.fields.items()})
        if found:
            fields = dict(result.fields)
            for key, (read, said) in found.items():
                fields[key] = fields[key].model_copy(update={
                    "status": "needs_review",
                    "note": f"the manifest says {said!r}; the document reads {read!r}"})
            status = "needs_review" if result.status == "auto_accepted" else result.status
            result = result.model_copy(update={"fields": fields, "status": status})
        checked.append(result)
    return checked
