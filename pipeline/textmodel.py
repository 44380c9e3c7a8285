"""A small bag-of-words document-type classifier, shipped as JSON (no pickles).

Trained by :func:`train` (scikit-learn logistic regression on folded word uni- and bigrams of
generated sample text); stored in ``pipeline/models/textmodel.json`` as vocabulary, idf and
coefficients; predicted with plain Python so loading is instant.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.text import fold

MODEL_PATH = Path(__file__).parent / "models" / "textmodel.json"
_TOKEN = re.compile(r"[a-z]{2,}")


def tokens(text: str) -> list[str]:
    """Folded word unigrams and bigrams (digits dropped: numbers do not tell types apart)."""
    words = _TOKEN.findall(fold(text))
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


@dataclass
class TextModel:
    classes: list[str]
    vocabulary: dict[str, int]
    idf: list[float]
    coef: list[list[float]]
    intercept: list[float]
    version: str = ""

    def predict_proba(self, text: str) -> dict[str, float]:
        """Class probabilities for ``text`` (tf-idf, l2-normalised, softmax of the linear scores)."""
        counts: dict[int, float] = {}
        for tok in tokens(text):
            idx = self.vocabulary.get(tok)
            if idx is not None:
                counts[idx] = counts.get(idx, 0.0) + 1.0
        vec = {i: (1.0 + math.log(c)) * self.idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        scores = [b + sum(row[i] * v / norm for i, v in vec.items()) for row, b in zip(self.coef, self.intercept)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.__dict__ | {"coef": [[round(v, 3) for v in row] for row in self.coef], "idf": [round(v, 4) for v in self.idf]}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "TextModel":
        return cls(**json.loads(path.read_text(encoding="utf-8")))


_MODEL: TextModel | None = None
_LOADED = False


def default_model() -> TextModel | None:
    """The shipped model, or None when none has been trained yet."""
    global _MODEL, _LOADED
    if not _LOADED:
        _MODEL = TextModel.load(MODEL_PATH) if MODEL_PATH.exists() else None
        _LOADED = True
    return _MODEL


def train(texts: list[str], labels: list[str], max_features: int = 1000, version: str = "") -> TextModel:
    """Fit tf-idf + multinomial logistic regression and return it as a :class:`TextModel`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, max_features=max_features, min_df=2)
    X = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=4.0, max_iter=2000)
    model.fit(X, labels)
    vocab = {tok: int(i) for tok, i in vectorizer.vocabulary_.items()}
    coef = model.coef_.tolist()
    intercept = model.intercept_.tolist()
    classes = [str(c) for c in model.classes_]
    if len(classes) == 2:  # binary: sklearn keeps one row; make it two-sided
        coef = [[-v for v in coef[0]], coef[0]]
        intercept = [-intercept[0], intercept[0]]
    return TextModel(classes, vocab, [float(v) for v in vectorizer.idf_], coef, intercept, version)
