"""Text hot spots: messages about the same issue grouped, and the issues ranked by heat.

Messages are compared by character 2–3-gram TF-IDF of their title (Chinese needs no word
segmenter for this, and titles name the place and the problem) and grouped by DBSCAN on
cosine distance: two messages are neighbours when their similarity is at least
`similarity`. Heat of an issue = Σ over its messages of (1 + ln(1 + likes)) × 0.5^(age / half
life), the age counted from the newest message of the data (so a rerun gives the same
ranking); distinct users are reported so that one person posting ten times shows.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sklearn.cluster import DBSCAN
from sklearn.feature_extraction.text import TfidfVectorizer

from cityloop.analytics.errors import InvalidArgument
from cityloop.core.errors import ValidationFailed

REQUIRED = ("message_id", "user_id", "title", "posted_at", "detail", "likes")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    user: str
    title: str
    posted_at: datetime
    likes: int = 0
    detail: str = ""


def read_messages(path: Path) -> list[Message]:
    """Messages of a TipDM-format CSV (message_id, user_id, title, posted_at, detail, likes)."""
    if not path.is_file():
        raise ValidationFailed(f"{path}: no such file", code="analytics.bad_file")
    out = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationFailed(
                f"{path}: missing column(s) {', '.join(missing)}", code="analytics.bad_file"
            )
        for row in reader:
            try:
                posted = datetime.fromisoformat(row["posted_at"].strip())
                likes = int(float(row["likes"] or 0))
            except ValueError as exc:
                raise ValidationFailed(
                    f"{path}:{reader.line_num}: bad posted_at or likes", code="analytics.bad_file"
                ) from exc
            out.append(
                Message(row["message_id"], row["user_id"], row["title"].strip(), posted, likes, row["detail"])
            )
    return out


def text_hotspots(
    messages: Sequence[Message],
    *,
    similarity: float = 0.5,
    min_messages: int = 2,
    half_life_days: float = 90.0,
    top: int = 10,
) -> list[dict[str, Any]]:
    """Issues (groups of ≥ `min_messages` similar messages), hottest first."""
    if not 0 < similarity < 1 or min_messages < 2 or half_life_days <= 0:
        raise InvalidArgument("0 < similarity < 1, min_messages ≥ 2, half_life_days > 0")
    if len(messages) < min_messages:
        return []
    texts = [m.title or m.detail[:60] for m in messages]
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=2).fit_transform(
        texts
    )
    labels = DBSCAN(eps=1 - similarity, min_samples=min_messages, metric="cosine").fit_predict(vectors)
    newest = max(m.posted_at for m in messages)
    groups: dict[int, list[Message]] = {}
    for message, label in zip(messages, labels, strict=True):
        if label >= 0:
            groups.setdefault(int(label), []).append(message)
    issues = [_issue(members, newest, half_life_days) for members in groups.values()]
    issues.sort(key=lambda i: (-i["heat"], i["first"]))
    for rank, issue in enumerate(issues[:top], start=1):
        issue["rank"] = rank
    return issues[:top]


def _issue(members: list[Message], newest: datetime, half_life: float) -> dict[str, Any]:
    heat = sum(
        (1 + math.log1p(max(m.likes, 0)))
        * 0.5 ** ((newest - m.posted_at).total_seconds() / 86400 / half_life)
        for m in members
    )
    members.sort(key=lambda m: (-m.likes, m.posted_at))
    return {
        "title": members[0].title,
        "heat": round(heat, 3),
        "messages": len(members),
        "users": len({m.user for m in members}),
        "likes": sum(m.likes for m in members),
        "first": min(m.posted_at for m in members).isoformat(),
        "last": max(m.posted_at for m in members).isoformat(),
        "message_ids": [m.id for m in members[:20]],
        "titles": list(dict.fromkeys(m.title for m in members))[:5],
    }
