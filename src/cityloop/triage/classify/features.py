"""Text features: character n-grams of the whole text and of its head, optionally jieba words,
each weighted by TF-IDF.

Chinese has no spaces; character n-grams carry most words (社保, 油烟) and survive
segmentation mistakes, typos and place names a dictionary does not know, and they are cheap
(see ngrams.py). jieba's words remain available but are off by default: on the TipDM data
they added nothing measurable and would cut the speed from about 5,000 to under 1,000
messages per second.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import jieba
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from cityloop.triage.classify.ngrams import CharNgramTfidf

jieba.setLogLevel(logging.WARNING)

_SPACE = re.compile(r"\s+")
# Anonymised place names (A市, A1区, B2县…) and digits say nothing about the category.
_NOISE = re.compile(r"[A-Za-z]\d*[市区县镇]|\d+")


def normalise(text: str) -> str:
    """Lower-case, blank out digits and anonymised place codes, collapse whitespace."""
    return _SPACE.sub(" ", _NOISE.sub(" ", text.lower())).strip()


def jieba_tokens(text: str) -> list[str]:
    """Word tokens of `text` by jieba (precise mode, no HMM for speed), blanks dropped.

    A module-level function so that fitted vectorizers pickle and load in another process.
    """
    return [token for token in jieba.lcut(text, HMM=False) if not token.isspace()]


class Blocks(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Feature blocks side by side, each scaled by its weight: a lean `FeatureUnion`.

    `FeatureUnion` goes through joblib's parallel machinery even for one job, which costs more
    than the features themselves when a single report is categorised.
    """

    def __init__(self, blocks: list[tuple[str, Any, float]]) -> None:
        self.blocks = blocks

    def fit(self, texts: Iterable[str], y: Any = None) -> Blocks:
        """Fit every block on the same texts."""
        listed = list(texts)
        for _name, block, _weight in self.blocks:
            block.fit(listed)
        return self

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        """The blocks' matrices, weighted, joined column-wise."""
        listed = list(texts)
        parts = []
        for _name, block, weight in self.blocks:
            part = sp.csr_matrix(block.transform(listed), copy=False)
            if weight != 1.0:
                part = part * weight
            parts.append(part)
        joined: sp.csr_matrix = sp.hstack(parts, format="csr")
        return joined


def build_features(
    *,
    words: bool = False,
    char_ngrams: tuple[int, int] | None = (1, 2),
    head_chars: int | None = 60,
    head_ngrams: tuple[int, int] = (1, 3),
    head_weight: float = 0.5,
    max_chars: int | None = None,
    sublinear_tf: bool = False,
    min_df: int = 1,
) -> Blocks:
    """TF-IDF blocks, each l2-normalised, joined side by side.

    - `chars`: character n-grams of the whole (normalised) text, raw tf, first `max_chars`
      characters only when given;
    - `head`: character n-grams of the first `head_chars` characters (title and opening, where
      a message says what it is about), scaled by `head_weight`;
    - `words`: jieba words (sublinear tf) — slower (about 1,000 messages/s alone) and off by
      default: on the TipDM data it added nothing measurable to the character blocks.
    """
    blocks: list[tuple[str, Any, float]] = []
    if char_ngrams is not None:
        chars = CharNgramTfidf(
            char_ngrams, preprocessor=normalise, max_chars=max_chars, sublinear_tf=sublinear_tf, min_df=min_df
        )
        blocks.append(("chars", chars, 1.0))
    if head_chars:
        head = CharNgramTfidf(head_ngrams, preprocessor=normalise, max_chars=head_chars, min_df=min_df)
        blocks.append(("head", head, float(head_weight)))
    if words:
        vectorizer = TfidfVectorizer(
            tokenizer=jieba_tokens,
            preprocessor=normalise,
            token_pattern=None,
            sublinear_tf=True,
            min_df=min_df,
            dtype=np.float32,
        )
        blocks.append(("words", vectorizer, 1.0))
    if not blocks:
        raise ValueError("build_features needs character n-grams, a head block or words")
    return Blocks(blocks)
