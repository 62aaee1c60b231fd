"""Embedding-based intent classifier with an abstain decision.

Each intent is data (name, action, few-shot examples). A comment's score for an intent is the mean cosine of its
``k`` nearest examples of that intent (per-class kNN); the best intent wins, and below ``threshold`` the model
abstains (label ``None``: out of scope). No SQL and no sockets here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from models.errors import ModelFileError

log = logging.getLogger(__name__)

ACTIONS = ("answer", "recommend", "staff", "silent")


@dataclass(frozen=True, slots=True)
class IntentDef:
    name: str
    action: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # case-insensitive substrings that decide this intent outright (e.g. 投诉, 加V)


@dataclass(frozen=True, slots=True)
class IntentGuess:
    label: str | None  # None = abstain (out of scope)
    score: float
    action: str
    runner_up: str | None = None
    runner_up_score: float = 0.0  # kNN: the runner-up's class score; linear: the runner-up's probability
    keyword: bool = False  # decided by one of the intent's keywords (not by similarity)


class IntentFileError(ModelFileError):
    pass


def read_intent_file(path: str | Path) -> dict:
    """The parsed intents file (a mapping with an ``intents`` list); clear IntentFileError with file:line otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise IntentFileError(f"{path}: intent file not found") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise IntentFileError(f"{where}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("intents"), list):
        raise IntentFileError(f"{path}: expected a mapping with an 'intents' list")
    return data


def load_intents(path: str | Path) -> list[IntentDef]:
    """Read ``data/intents.yaml``: intents: [{name, action, examples: {zh: [...], en: [...]}}]."""
    path = Path(path)
    data = read_intent_file(path)
    out: list[IntentDef] = []
    for i, item in enumerate(data["intents"]):
        if not isinstance(item, dict) or "name" not in item:
            raise IntentFileError(f"{path}: intent #{i + 1} has no name")
        action = item.get("action", "answer")
        if action not in ACTIONS:
            raise IntentFileError(f"{path}: intent {item['name']!r}: action {action!r} not in {ACTIONS}")
        examples = item.get("examples") or {}
        texts: list[str] = []
        if isinstance(examples, Mapping):
            for lang_examples in examples.values():
                texts.extend(str(t) for t in lang_examples or [])
        else:
            texts.extend(str(t) for t in examples)
        if not texts:
            raise IntentFileError(f"{path}: intent {item['name']!r} has no examples")
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list):
            raise IntentFileError(f"{path}: intent {item['name']!r}: keywords must be a list")
        out.append(
            IntentDef(
                name=str(item["name"]), action=action, examples=tuple(texts), keywords=tuple(str(k).casefold() for k in keywords)
            )
        )
    return out


METHODS = ("knn", "linear")


class IntentModel:
    """Intent classifier over example embeddings. ``encode`` is any callable texts -> L2-normalised float32 rows.

    ``method="knn"`` (default, what the live thresholds in ``bot.config`` are tuned for): score = mean cosine of the
    ``k`` nearest examples of the best intent (0..1). ``method="linear"``: logistic regression on the embeddings
    (``models.intent_clf``), score = best probability + nearest-example cosine (0..2) — clearly better at
    abstaining on unseen intents (docs/EVAL.md §2), but its threshold is on a different scale.
    """

    def __init__(
        self,
        intents: Sequence[IntentDef],
        vectors: np.ndarray,
        labels: np.ndarray,
        *,
        k: int = 3,
        threshold: float = 0.5,
        method: str = "knn",
    ):
        if method not in METHODS:
            raise ValueError(f"unknown intent method {method!r}; valid: {', '.join(METHODS)}")
        self.intents = {d.name: d for d in intents}
        self.names = [d.name for d in intents]
        self.vectors = vectors
        self.labels = labels  # index into self.names per example row
        self.k = k
        # the example vectors grouped by intent (one contiguous block per intent): class_scores reads each intent's
        # similarities as a slice instead of a boolean-mask copy per intent per batch
        order = np.argsort(np.asarray(labels), kind="stable")
        self._grouped = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order].T) if len(order) else None
        counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=len(self.names)) if len(order) else np.zeros(
            len(self.names), dtype=np.int64)
        self._bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        # the intent keywords, in intent order, and one pattern finding any of them: most comments name none, and one
        # regex search rejects them (~1 us) where testing every keyword of every intent took ~5 us a comment
        self._keyworded = [d for d in self.intents.values() if d.keywords]
        words = sorted({k for d in self._keyworded for k in d.keywords if k}, key=len, reverse=True)
        self._any_keyword = re.compile("|".join(map(re.escape, words))) if words else None
        self.threshold = threshold
        self.method = method
        self.linear = None
        if method == "linear" and len(self.names) > 0:
            from models.intent_clf import LinearIntentClassifier

            self.linear = LinearIntentClassifier.fit(vectors, labels, len(self.names))

    @classmethod
    def fit(cls, intents: Sequence[IntentDef], encode, *, k: int = 3, threshold: float = 0.5, method: str = "knn") -> IntentModel:
        texts: list[str] = []
        labels: list[int] = []
        for i, d in enumerate(intents):
            texts.extend(d.examples)
            labels.extend([i] * len(d.examples))
        vectors = np.asarray(encode(texts), dtype=np.float32)
        return cls(intents, vectors, np.asarray(labels), k=k, threshold=threshold, method=method)

    def class_scores(self, query_vectors: np.ndarray) -> np.ndarray:
        """(n_queries, n_intents): mean of the top-k cosine similarities to each intent's examples."""
        queries = np.asarray(query_vectors, dtype=np.float32)
        out = np.full((queries.shape[0], len(self.names)), -1.0, dtype=np.float32)
        if self._grouped is None:
            return out
        negated = -(queries @ self._grouped)  # negated once for all intents (partition picks the k smallest)
        bounds = self._bounds
        for c in range(len(self.names)):
            lo, hi = bounds[c], bounds[c + 1]
            if hi == lo:
                continue
            k = min(self.k, hi - lo)
            top = np.partition(negated[:, lo:hi], k - 1, axis=1)[:, :k]
            # the mean of the k best, as ndarray.mean computes it (float32 pairwise sum / k) without its Python layer
            out[:, c] = -np.add.reduce(top, axis=1) / k
        return out

    def predict(self, texts: Sequence[str], query_vectors: np.ndarray) -> list[IntentGuess]:
        """Like predict_vectors, but an intent keyword found in the text decides outright (score 1.0).

        Keywords are for the intents where a miss is costly and the wording is unmistakable: complaints must reach
        staff ("投诉", "开胶", "refund"), ads must never be answered ("加V", "http").
        """
        guesses = self.predict_vectors(query_vectors)
        keyworded, any_keyword = self._keyworded, self._any_keyword
        if not keyworded or any_keyword is None:
            return guesses
        out = []
        for text, guess in zip(texts, guesses, strict=True):
            folded = text.casefold()
            hit = None
            if any_keyword.search(folded) is not None:  # some keyword is in the text: the first intent naming one wins
                hit = next((d for d in keyworded if any(k in folded for k in d.keywords)), None)
            if hit is not None:
                guess = IntentGuess(
                    label=hit.name, score=1.0, action=hit.action, runner_up=guess.label, runner_up_score=guess.score,
                    keyword=True,
                )
            out.append(guess)
        return out

    def predict_vectors(self, query_vectors: np.ndarray) -> list[IntentGuess]:
        if self.linear is not None:
            return self._predict_linear(query_vectors)
        scores = self.class_scores(query_vectors)
        guesses: list[IntentGuess] = []
        for row in scores:
            order = np.argsort(-row)
            best, second = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
            name = self.names[best]
            score = float(row[best])
            label = name if score >= self.threshold else None
            action = self.intents[name].action if label else "answer"
            guesses.append(
                IntentGuess(
                    label=label, score=score, action=action, runner_up=self.names[second], runner_up_score=float(row[second])
                )
            )
        return guesses


    def _predict_linear(self, query_vectors: np.ndarray) -> list[IntentGuess]:
        assert self.linear is not None
        _, confidence, proba = self.linear.predict(query_vectors)
        guesses: list[IntentGuess] = []
        for conf, row in zip(confidence, proba, strict=True):
            order = np.argsort(-row)
            best, second = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
            name = self.names[best]
            label = name if float(conf) >= self.threshold else None
            action = self.intents[name].action if label else "answer"
            guesses.append(
                IntentGuess(
                    label=label,
                    score=float(conf),
                    action=action,
                    runner_up=self.names[second],
                    runner_up_score=float(row[second]),
                )
            )
        return guesses


def intents_from_labelled(
    rows: Iterable[tuple[str, str]], out_of_scope: Iterable[str] = ("oos", "NO_NODES_DETECTED")
) -> list[IntentDef]:
    """Build IntentDefs from (text, label) rows (eval data); out-of-scope labels are not intents."""
    oos = set(out_of_scope)
    grouped: dict[str, list[str]] = {}
    for text, label in rows:
        if label in oos:
            continue
        grouped.setdefault(label, []).append(text)
    return [IntentDef(name=k, action="answer", examples=tuple(v)) for k, v in sorted(grouped.items())]
