"""Text features: jieba word tokens and character n-grams, each weighted by TF-IDF.

Chinese has no spaces; jieba's words carry meaning (社保, 油烟) while character n-grams
survive segmentation mistakes, typos and place names jieba does not know. The union of
both is the representation every classifier of this package uses.
"""

from __future__ import annotations

import logging
import re

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

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


def build_features(
    *,
    words: bool = True,
    char_ngrams: tuple[int, int] | None = (1, 2),
    min_df: int = 1,
    max_features: int | None = None,
) -> FeatureUnion:
    """TF-IDF over jieba words (sublinear tf) joined with TF-IDF over character n-grams (raw tf).

    Character 1–2-grams with raw counts scored best by 5-fold CV on the tuning part of the TipDM
    data (3-grams added nothing and halve the speed); each block is l2-normalised.
    """
    parts: list[tuple[str, TfidfVectorizer]] = []
    if words:
        parts.append(
            (
                "words",
                TfidfVectorizer(
                    tokenizer=jieba_tokens,
                    preprocessor=normalise,
                    token_pattern=None,
                    sublinear_tf=True,
                    min_df=min_df,
                    max_features=max_features,
                    dtype=np.float32,
                ),
            )
        )
    if char_ngrams is not None:
        parts.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    preprocessor=normalise,
                    ngram_range=char_ngrams,
                    sublinear_tf=False,
                    min_df=min_df,
                    max_features=max_features,
                    dtype=np.float32,
                ),
            )
        )
    if not parts:
        raise ValueError("build_features needs words, character n-grams or both")
    return FeatureUnion(parts)
