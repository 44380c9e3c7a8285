"""``sohoa eval`` and ``sohoa calibrate`` on a tiny ground-truth folder whose OCR is pre-cached
(hand-made pages), so no Tesseract runs here: the scoring, the plots and the fit are what is tested."""

import json

from click.testing import CliRunner

from pipeline.confidence import Calibration
from scripts.calibrate import calibrate
from scripts.eval import eval_command, run_eval
from scripts.evalcore import _cache_path
from tests.pipeline_fixtures import page_from_text
from tests.test_pipeline_forms import APPLICATION, ID_CARD, RECEIPT


def _make_folder(tmp_path):
    folder, cache = tmp_path / "gt", tmp_path / "cache"
    folder.mkdir()
    cases = [
        ("a.pdf", [RECEIPT], [{"doc_type": "giay_tiep_nhan", "pages": [1], "text": RECEIPT.replace("|", " "),
                               "fields": {"full_name": "Nguyễn Văn An", "phone": "0912345678",
                                          "received_date": "2023-05-12", "due_date": "2023-05-26",
                                          "dossier_code": "000.00.15.H48-230512-0007"}}]),
        ("b.pdf", [APPLICATION, ID_CARD], [
            {"doc_type": "don_de_nghi", "pages": [1], "fields": {"full_name": "Nguyễn Văn An",
                                                                 "id_number": "051090001234", "date_of_birth": "1990-03-06"}},
            {"doc_type": "can_cuoc", "pages": [2], "fields": {"id_number": "051090001234", "gender": "Nam"}},
        ]),
    ]
    lines = []
    for name, texts, documents in cases:
        data = name.encode() * 10
        (folder / name).write_bytes(data)
        pages = [page_from_text(t, page_no=i).model_dump(mode="json") for i, t in enumerate(texts, start=1)]
        path = _cache_path(cache, data, "vie")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        lines.append(json.dumps({"file": name, "documents": documents, "pages": []}, ensure_ascii=False))
    (folder / "ground_truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, cache


def test_eval_scores_types_fields_and_writes_plots(tmp_path):
    folder, cache = _make_folder(tmp_path)
    report, docs, fields = run_eval(folder, cache, workers=1, threshold=0.5)
    assert report["documents"] == 3 and report["type_accuracy"] == 1.0 and report["split_accuracy"] == 1.0
    assert report["fields"] == 10
    # the date of birth in the truth differs from the page: exactly one wrong field
    assert report["exact_match"] == 0.9
    assert report["per_field"]["date_of_birth"]["exact_match"] == 0.0
    assert report["per_type"]["giay_tiep_nhan"]["cer"] < 0.05
    result = CliRunner().invoke(eval_command, [str(folder), "--cache", str(cache), "--workers", "1", "--json",
                                               "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"] == 3
    assert (tmp_path / "out" / "reliability.png").stat().st_size > 1000
    assert (tmp_path / "out" / "coverage_error.png").stat().st_size > 1000


def test_calibrate_writes_a_versioned_calibration(tmp_path):
    folder, cache = _make_folder(tmp_path)
    out = tmp_path / "calibration.json"
    calibration = calibrate(folder, cache, workers=1, train_text_model=False, out=out)
    loaded = Calibration.load(out)
    assert loaded.version == calibration.version and loaded.version.startswith("cal-")
    assert loaded.metrics["fields"] >= 9 and 0.5 <= loaded.threshold <= 1.0
    assert loaded.tradeoff and loaded.tradeoff[0]["coverage"] == 1.0


def test_eval_reports_per_family_and_each_family_held_out(tmp_path):
    folder, cache = _make_folder(tmp_path)
    rows = [json.loads(line) for line in (folder / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[1]["documents"][0]["family"] = "kltn:11_dang_ky_khai_sinh"
    rows[1]["documents"][0]["absent"] = ["phone"]  # the form has no phone: a value read for it would be wrong
    (folder / "ground_truth.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                                encoding="utf-8")
    report, _, _ = run_eval(folder, cache, workers=1, threshold=0.5, held_out_families=True)
    assert set(report["per_family"]) == {"gen:giay_tiep_nhan", "gen:can_cuoc", "kltn:11_dang_ky_khai_sinh"}
    assert report["per_family"]["kltn:11_dang_ky_khai_sinh"]["documents"] == 1
    # each family scored by a calibration fitted on the others only (a family whose rest has one
    # class of outcome cannot be fitted and is left out of the held-out table)
    held = report["held_out_families"]
    assert held and all(row["documents"] >= 1 and 0.5 <= row["threshold"] <= 1.0 for row in held.values())
    assert report["held_out_pooled"]["fields"] >= 1


def test_calibrate_records_the_label_wordings_and_families_it_saw(tmp_path):
    folder, cache = _make_folder(tmp_path)
    calibration = calibrate(folder, cache, workers=1, train_text_model=False, out=tmp_path / "c.json")
    assert "ho va ten" in calibration.seen_labels["full_name"]
    assert calibration.families == ["gen:can_cuoc", "gen:don_de_nghi", "gen:giay_tiep_nhan"]
    assert "held_out_families" in calibration.metrics and calibration.threshold >= calibration.metrics[
        "threshold_field_bound"]


def test_calibrate_keep_fit_only_records_families_and_holds_each_out(tmp_path):
    folder, cache = _make_folder(tmp_path)
    out = tmp_path / "kept.json"
    Calibration(version="fit-1", threshold=0.77).save(out)
    calibration = calibrate(folder, cache, workers=1, train_text_model=False, out=out, keep_fit=True)
    assert (calibration.version, calibration.threshold) == ("fit-1", 0.77)  # the fit stays
    assert calibration.family_labels["gen:giay_tiep_nhan"]["full_name"]
    held = calibration.metrics["held_out_families"]
    assert set(held) == {"gen:giay_tiep_nhan", "gen:don_de_nghi", "gen:can_cuoc"}
    # without the family, its own label wordings are new to the calibration
    alone = calibration.without_family("gen:giay_tiep_nhan")
    assert "ma ho so" not in alone.seen_labels.get("dossier_code", [])
