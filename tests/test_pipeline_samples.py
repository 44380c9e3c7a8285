"""End to end on generated samples: scan files -> page path (real Tesseract) -> analysis.

A dossier PDF of several documents comes back as those documents with the right page ranges and
types, and every auto-accepted field equals the ground truth.
"""

import pytest

from pipeline.analyse import AnalysisContext
from scripts.evalcore import analyse_cases, match_documents, read_cases, same_value


@pytest.mark.slow
def test_generated_dossier_and_letter_round_trip(tmp_path):
    from scripts.samples import generate

    folder = tmp_path / "samples"
    generate(folder, n=2, seed=5, dpi=200)
    cases = read_cases(folder, tmp_path / "cache", workers=2)
    analyse_cases(cases, AnalysisContext())
    dossier = next(c for c in cases if len(c.truth["documents"]) > 1)
    assert [(d.doc_type, d.pages) for d in dossier.documents] == [
        (t["doc_type"], t["pages"]) for t in dossier.truth["documents"]
    ]
    accepted = 0
    for case in cases:
        assert case.error is None
        for truth, predicted in match_documents(case.documents, case.truth["documents"]):
            assert predicted is not None and predicted.doc_type == truth["doc_type"]
            for key, result in predicted.fields.items():
                if result.status == "auto_accepted" and truth["fields"].get(key) is not None:
                    accepted += 1
                    assert same_value(key, result.value, str(truth["fields"][key])), (key, result.value)
    assert accepted >= 5
