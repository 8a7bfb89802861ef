"""The whole loop over HTTP, and refusals that answer with their code and change nothing."""

from __future__ import annotations

import zlib
from typing import Any

from cases_api.conftest import CITY, Http


def png_bytes(seed: int = 0) -> bytes:
    """A valid 1×1 PNG (the seed changes the pixel, so the hash)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = (1).to_bytes(4, "big") + (1).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(bytes([0, seed % 256, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def snapshot(http: Http, number: str) -> dict[str, Any]:
    body = http.get(f"/cities/{CITY}/cases/{number}", "leader01").json()
    return {k: body[k] for k in ("state", "pending", "tasks", "timeline", "evidence", "department")}


def test_the_whole_loop_over_http(http: Http) -> None:
    created = http.report()
    number = created["number"]
    assert number == "330100-20261102-00001"
    assert (created["state"], created["grid_code"], created["light"], created["overdue"]) == (
        "REPORTED",
        http.grids[0],
        "green",
        False,
    )
    assert [(t["kind"], t["role"], t["status"], t["remaining_minutes"]) for t in created["tasks"]] == [
        ("accept", "operator", "open", 30)
    ]
    assert [(e["seq"], e["action"], e["actor_name"], e["actor_role"]) for e in created["timeline"]] == [
        (1, "report", "inspector01", "inspector")
    ]
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("accept", "operator01", {}),
        ("file", "leader01", {}),
        ("dispatch", "dispatcher01", {"department": "CG"}),
        ("sign", "cg01", {}),
    ]
    for action, who, data in steps:
        http.clock.advance(minutes=5)
        resp = http.act(number, action, who, data=data)
        assert resp.status_code == 200, resp.text
    upload = http.post(
        f"/cities/{CITY}/cases/{number}/evidence",
        "cgworker01",
        files={"file": ("after.png", png_bytes(), "image/png")},
        data={"phase": "after"},
    )
    assert upload.status_code == 201, upload.text
    sha = upload.json()["sha256"]
    http.clock.advance(minutes=5)
    feedback = http.act(number, "feedback", "cgworker01", reason="已清理", evidence=[sha])
    assert feedback.status_code == 200, feedback.text
    assert feedback.json()["timeline"][-1]["evidence"] == [sha]
    for action, who in (("send_check", "operator01"), ("check_ok", "inspector01"), ("close", "leader01")):
        http.clock.advance(minutes=5)
        resp = http.act(number, action, who)
        assert resp.status_code == 200, resp.text
    final = http.get(f"/cities/{CITY}/cases/{number}", "leader01").json()
    assert (final["state"], final["department"], final["light"], final["closed_at"]) == (
        "CLOSED",
        "CG",
        None,
        "2026-11-02T01:40:00Z",
    )
    assert [(t["kind"], t["status"], t["on_time"], t["department"]) for t in final["tasks"]] == [
        ("accept", "done", True, None),
        ("file", "done", True, None),
        ("dispatch", "done", True, None),
        ("sign", "done", True, "CG"),
        ("handle", "done", True, "CG"),
        ("check_dispatch", "done", True, None),
        ("check", "done", True, None),
        ("close", "done", True, None),
    ]
    assert [e["action"] for e in final["timeline"]] == [
        "report", "accept", "file", "dispatch", "sign", "feedback", "send_check", "check_ok", "close",
    ]  # fmt: skip
    assert [(e["sha256"], e["phase"], e["content_type"], e["uploaded_by"]) for e in final["evidence"]] == [
        (sha, "after", "image/png", "cgworker01")
    ]


def test_refused_actions_answer_with_their_code_and_change_nothing(http: Http) -> None:
    number = http.report()["number"]
    http.act(number, "accept", "operator01")
    before = snapshot(http, number)
    refusals = [
        (http.act(number, "file", "operator01"), 403, "access.forbidden_role"),
        (
            http.act(number, "dispatch", "dispatcher01", data={"department": "CG"}),
            409,
            "cases.action_not_allowed",
        ),
        (http.act(number, "fly", "leader01"), 422, "cases.unknown_action"),
        (http.act(number, "request_void", "operator01"), 422, "cases.reason_required"),
        (http.act(number, "file", "leader01", data={"urgency": "soon"}), 422, "cases.invalid_data"),
        (http.act(number, "file", "leader01", evidence=["not-a-hash"]), 422, "cases.invalid_evidence"),
        (http.act(number, "file", "leader01", evidence=["a" * 64]), 422, "cases.unknown_evidence"),
        (http.act("330100-20261102-09999", "file", "leader01"), 404, "cases.not_found"),
        (http.act(number, "file", "leader01", bogus=1), 422, "request.invalid"),
    ]
    for resp, status, code in refusals:
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, code), resp.text
    assert snapshot(http, number) == before
    # The department of another case cannot sign for this one.
    http.act(number, "file", "leader01")
    http.act(number, "dispatch", "dispatcher01", data={"department": "CG"})
    before = snapshot(http, number)
    wrong = http.act(number, "sign", "hw01")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "cases.wrong_department")
    assert snapshot(http, number) == before


def test_creating_cases_checks_the_channel_and_the_body(http: Http) -> None:
    lon, lat = http.points[0]
    public = http.post(
        f"/cities/{CITY}/cases",
        "operator01",
        json={"source": "hotline", "category_code": "09001", "address": "湖滨路1号", "reporter_ref": "tel:1"},
    )
    assert public.status_code == 201, public.text
    assert (public.json()["state"], public.json()["tasks"][0]["kind"]) == (
        "PENDING_VERIFY",
        "verify_dispatch",
    )
    fixed = http.report(self_handled=True)
    assert (fixed["state"], fixed["self_handled"], fixed["timeline"][0]["action"]) == (
        "SELF_HANDLED",
        True,
        "self_handle",
    )
    cases = [
        (http.post(f"/cities/{CITY}/cases", "operator01", json={"category_code": "09001", "lon": lon, "lat": lat}),
         403, "access.forbidden_role"),
        (http.post(f"/cities/{CITY}/cases", "dispatcher01", json={"category_code": "09001"}),
         403, "access.forbidden_role"),
        (http.post(f"/cities/{CITY}/cases", "inspector01", json={"category_code": "09001", "lon": 10.0, "lat": 10.0}),
         422, "cases.outside_city"),
        (http.post(f"/cities/{CITY}/cases", "inspector01", json={"category_code": "09001", "source": "fax"}),
         422, "request.invalid"),
        (http.post(f"/cities/{CITY}/cases", "inspector01", json={"source": "inspector"}), 422, "request.invalid"),
    ]  # fmt: skip
    for resp, status, code in cases:
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, code), resp.text
    numbers = [c["number"] for c in http.get(f"/cities/{CITY}/cases", "leader01").json()["items"]]
    assert numbers == ["330100-20261102-00002", "330100-20261102-00001"]
