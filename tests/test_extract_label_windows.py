"""The label search's batch test (``LabelStarts``) only skips what the full score would reject: on
every line of the 57 official forms, with the words glued, cut and misread as OCR leaves them, every
label of every field that ``label_score`` finds starts at a word the batch test lets through."""

from __future__ import annotations

import random

from pipeline.labels import LABEL_TOKENS, LabelStarts, first_alternative_score, label_score
from pipeline.layout import page_lines
from tests.pipeline_fixtures import page_from_text


def _form_lines(realdata) -> list[str]:
    lines = []
    for path in sorted((realdata / "forms-kltn").glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def _as_read(line: str, rng: random.Random) -> str:
    """``line`` as OCR may leave it: two words glued, a letter dropped or doubled."""
    words = line.replace("|", " ").split()
    if len(words) > 2 and rng.random() < 0.3:
        k = rng.randrange(len(words) - 1)
        words[k : k + 2] = [words[k] + words[k + 1]]
    if words and rng.random() < 0.3:
        k = rng.randrange(len(words))
        at = rng.randrange(len(words[k]))
        words[k] = words[k][:at] + words[k][at + 1 :] if rng.random() < 0.5 else words[k][:at] + words[k][at] + words[k][at:]
    return " ".join(words)


def test_the_batch_test_never_skips_a_label_the_score_finds(realdata):
    from pipeline.labels import word_keys

    rng = random.Random(20261204)
    texts = [_as_read(text, rng) if rng.random() < 0.5 else text for text in _form_lines(realdata)]
    labels = [label for entries in LABEL_TOKENS.values() for label, _loose in entries]
    found = skipped = 0
    for text in texts:
        for line in page_lines(page_from_text(text)):
            tokens = word_keys(line)
            label_starts = LabelStarts(tokens)
            for label in labels:
                n, short = len(label), len(" ".join(label)) <= 5
                widths = (n, n - 1) if n >= 3 else (n,)
                starts = set(label_starts.starts(label, widths))
                for i in range(max(0, len(tokens) - n) + 1):  # as the label search walks a line
                    for width in {min(w, len(tokens) - i) for w in widths}:
                        score = label_score(tokens[i : i + width], label, short)
                        if width == n:
                            score = first_alternative_score(tokens[i : i + width], label, short, score)
                        if i in starts:
                            found += score is not None
                        else:
                            skipped += 1
                            assert score is None, (text, label, i, width)
    assert found > 500 and skipped > 50 * found, (found, skipped)  # real labels found, most tries skipped
