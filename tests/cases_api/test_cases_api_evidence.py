"""Evidence upload: stored by sha256 under the var dir, typed by decoding them (PDFs by their header), size-limited, idempotent."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from cases_api.conftest import CITY, Http
from cases_api.test_cases_api_flow import png_bytes
from cityloop.cases import evidence


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (90, 160, 40)).save(buffer, fmt)
    return buffer.getvalue()


def _upload(http: Http, number: str, content: bytes, phase: str | None = "before", who: str = "inspector01"):  # type: ignore[no-untyped-def]
    data = {"phase": phase} if phase else {}
    return http.post(
        f"/cities/{CITY}/cases/{number}/evidence",
        who,
        files={"file": ("photo.png", content, "image/png")},
        data=data,
    )


def test_upload_stores_the_file_once_by_its_hash(http: Http, tmp_path: Path) -> None:
    number = http.report()["number"]
    content = png_bytes(7)
    sha = hashlib.sha256(content).hexdigest()
    first = _upload(http, number, content)
    assert first.status_code == 201, first.text
    assert first.json() == {
        "sha256": sha,
        "phase": "before",
        "content_type": "image/png",
        "size": len(content),
        "filename": "photo.png",
        "uploaded_by": "inspector01",
        "uploaded_at": "2026-11-02T01:00:00Z",
    }
    stored = tmp_path / "var" / "media" / CITY / sha[:2] / sha
    assert stored.read_bytes() == content
    assert _upload(http, number, content).json() == first.json()
    other = _upload(http, number, content, phase=None)
    assert other.json()["phase"] == "other"
    pdf = _upload(http, number, b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", phase="after")
    assert pdf.json()["content_type"] == "application/pdf"
    jpeg = _upload(http, number, _image("JPEG"), phase="after")
    webp = _upload(http, number, _image("WEBP"), phase="after")
    assert (jpeg.json()["content_type"], webp.json()["content_type"]) == ("image/jpeg", "image/webp")
    case = http.get(f"/cities/{CITY}/cases/{number}", "leader01").json()
    assert [(e["phase"], e["content_type"]) for e in case["evidence"]] == [
        ("before", "image/png"),
        ("other", "image/png"),
        ("after", "application/pdf"),
        ("after", "image/jpeg"),
        ("after", "image/webp"),
    ]


def test_wrong_type_too_large_and_bad_phase_are_refused(
    http: Http, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = http.report()["number"]
    cases = [
        (_upload(http, number, b"GIF89a" + b"\x00" * 20), 415, "cases.evidence_type"),
        (_upload(http, number, b"<html>png</html>"), 415, "cases.evidence_type"),
        (_upload(http, number, b"\xff\xd8\xff\xe0" + b"\x00" * 20), 415, "cases.evidence_type"),
        (_upload(http, number, png_bytes(), phase="during"), 422, "cases.invalid_data"),
        (
            http.post(f"/cities/{CITY}/cases/{number}/evidence", "inspector01", json={"file": "x"}),
            422,
            "request.invalid",
        ),
        (_upload(http, "330100-20261102-09999", png_bytes()), 404, "cases.not_found"),
    ]
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 64)
    cases.append((_upload(http, number, png_bytes() + b"\x00" * 64), 413, "cases.evidence_too_large"))
    cases.append((_upload(http, number, png_bytes() + b"\x00" * 100_000), 413, "cases.evidence_too_large"))
    for resp, status, code in cases:
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, code), resp.text
    assert http.get(f"/cities/{CITY}/cases/{number}", "leader01").json()["evidence"] == []
    assert not (tmp_path / "var" / "media").exists()
