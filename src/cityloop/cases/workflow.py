"""The workflow of DOMAIN.md §3 as data: states, actions, who may act, where they lead.

Each `Action` row says from which states it may be taken, by which roles, to which state it
leads, whether a reason is required, which pending request it needs or opens, and what it
does to the time limits. The transition function (`cases.transition`) reads only this
table; a test walks every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cityloop.core.i18n import Text


class State(StrEnum):
    SELF_HANDLED = "SELF_HANDLED"
    PENDING_VERIFY = "PENDING_VERIFY"
    VERIFYING = "VERIFYING"
    REPORTED = "REPORTED"
    ACCEPTED = "ACCEPTED"
    FILED = "FILED"
    DISPATCHED = "DISPATCHED"
    PROCESSING = "PROCESSING"
    SUSPENDED = "SUSPENDED"
    PROCESSED = "PROCESSED"
    CHECKING = "CHECKING"
    CHECKED_OK = "CHECKED_OK"
    CLOSED = "CLOSED"
    VOID = "VOID"


STATE_LABELS: dict[State, Text] = {
    State.SELF_HANDLED: Text("自处理待审核", "Self-handled, awaiting review"),
    State.PENDING_VERIFY: Text("待核实", "Awaiting verification"),
    State.VERIFYING: Text("核实中", "Being verified"),
    State.REPORTED: Text("待受理", "Reported"),
    State.ACCEPTED: Text("已受理", "Accepted"),
    State.FILED: Text("已立案", "Filed"),
    State.DISPATCHED: Text("已派遣", "Dispatched"),
    State.PROCESSING: Text("处置中", "Being handled"),
    State.SUSPENDED: Text("挂账", "Suspended"),
    State.PROCESSED: Text("已处置", "Handled"),
    State.CHECKING: Text("核查中", "Being checked"),
    State.CHECKED_OK: Text("核查通过", "Checked"),
    State.CLOSED: Text("已结案", "Closed"),
    State.VOID: Text("已作废", "Void"),
}

TERMINAL = frozenset({State.VOID})


@dataclass(frozen=True)
class Step:
    """A task that a state asks for: who must do it, and which time limit applies."""

    kind: str
    role: str
    label: Text


# The task each state opens (a state without an entry asks nobody to act).
STATE_TASKS: dict[State, Step] = {
    State.SELF_HANDLED: Step("review", "operator", Text("自处理审核", "Review self-handling")),
    State.PENDING_VERIFY: Step("verify_dispatch", "operator", Text("核实派发", "Send for verification")),
    State.VERIFYING: Step("verify", "inspector", Text("核实", "Verify on site")),
    State.REPORTED: Step("accept", "operator", Text("受理", "Accept")),
    State.ACCEPTED: Step("file", "shift_leader", Text("立案", "File")),
    State.FILED: Step("dispatch", "dispatcher", Text("派遣", "Dispatch")),
    State.DISPATCHED: Step("sign", "department", Text("签收", "Sign for")),
    State.PROCESSING: Step("handle", "department", Text("处置", "Handle")),
    State.PROCESSED: Step("check_dispatch", "operator", Text("核查派发", "Send for checking")),
    State.CHECKING: Step("check", "inspector", Text("核查", "Check on site")),
    State.CHECKED_OK: Step("close", "shift_leader", Text("结案", "Close")),
    State.CLOSED: Step("callback", "operator", Text("回访", "Call back")),
}

APPROVE_STEP = Step("approve", "dispatcher", Text("审批", "Approve"))

# Who approves each kind of request.
APPROVERS: dict[str, str] = {
    "void": "shift_leader",
    "return": "dispatcher",
    "extension": "dispatcher",
    "suspension": "dispatcher",
}

DEPARTMENT_ROLES = frozenset({"department", "field_worker"})
SATISFACTION = ("满意", "基本满意", "不满意")


@dataclass(frozen=True)
class Action:
    name: str
    label: Text
    sources: frozenset[State]
    roles: frozenset[str]
    #: The state the action leads to; None keeps the state (requests, rejections, callback).
    target: State | None
    reason_required: bool = False
    #: The pending request this action needs (approve/reject) or opens (request_*).
    needs_pending: str | None = None
    opens_pending: str | None = None
    #: What happens to the disposal clock: start, pause, resume, extend, restart, keep.
    clock: str | None = None
    #: Department actions: the actor must belong to the case's department.
    own_department: bool = False


def _a(
    name: str,
    zh: str,
    en: str,
    sources: set[State],
    roles: set[str],
    target: State | None,
    *,
    reason_required: bool = False,
    needs_pending: str | None = None,
    opens_pending: str | None = None,
    clock: str | None = None,
    own_department: bool = False,
) -> Action:
    return Action(
        name,
        Text(zh, en),
        frozenset(sources),
        frozenset(roles),
        target,
        reason_required=reason_required,
        needs_pending=needs_pending,
        opens_pending=opens_pending,
        clock=clock,
        own_department=own_department,
    )


S = State
DEPT = set(DEPARTMENT_ROLES)

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        # Self-handled (1a): review by an operator.
        _a("confirm_self_handled", "确认自处理", "Confirm self-handling", {S.SELF_HANDLED}, {"operator"}, S.CLOSED),
        _a("reject_self_handled", "退回自处理", "Reject self-handling", {S.SELF_HANDLED}, {"operator"}, S.REPORTED,
           reason_required=True),
        # Public reports (3–4): verification on site.
        _a("send_verify", "派发核实", "Send for verification", {S.PENDING_VERIFY}, {"operator"}, S.VERIFYING),
        _a("confirm", "核实属实", "Confirmed on site", {S.VERIFYING}, {"inspector"}, S.REPORTED),
        _a("not_found", "核实不属实", "Not found on site", {S.VERIFYING}, {"inspector"}, S.VOID,
           reason_required=True),
        # Acceptance, filing, dispatch (5–7).
        _a("accept", "受理", "Accept", {S.REPORTED}, {"operator"}, S.ACCEPTED),
        _a("file", "立案", "File", {S.ACCEPTED}, {"shift_leader"}, S.FILED),
        _a("dispatch", "派遣", "Dispatch", {S.FILED}, {"dispatcher"}, S.DISPATCHED),
        # The department (8–9).
        _a("sign", "签收", "Sign for", {S.DISPATCHED}, DEPT, S.PROCESSING, clock="start", own_department=True),
        _a("feedback", "处理反馈", "Report the fix", {S.PROCESSING}, DEPT, S.PROCESSED, clock="stop",
           own_department=True),
        # Requests waiting for approval (8a–8c, 13).
        _a("request_return", "申请回退", "Ask to return", {S.DISPATCHED, S.PROCESSING}, DEPT, None,
           reason_required=True, opens_pending="return", own_department=True),
        _a("request_extension", "申请延期", "Ask for more time", {S.PROCESSING}, DEPT, None,
           reason_required=True, opens_pending="extension", own_department=True),
        _a("request_suspension", "申请挂账", "Ask to suspend", {S.PROCESSING}, DEPT, None,
           reason_required=True, opens_pending="suspension", own_department=True),
        _a("request_void", "申请作废", "Ask to void", {S.REPORTED, S.ACCEPTED}, {"operator"}, None,
           reason_required=True, opens_pending="void"),
        _a("approve_return", "批准回退", "Approve the return", {S.DISPATCHED, S.PROCESSING}, {"dispatcher"}, S.FILED,
           needs_pending="return", clock="cancel"),
        _a("approve_extension", "批准延期", "Approve the extension", {S.PROCESSING}, {"dispatcher"}, None,
           needs_pending="extension", clock="extend"),
        _a("approve_suspension", "批准挂账", "Approve the suspension", {S.PROCESSING}, {"dispatcher"}, S.SUSPENDED,
           needs_pending="suspension", clock="pause"),
        _a("approve_void", "批准作废", "Approve voiding", {S.REPORTED, S.ACCEPTED}, {"shift_leader"}, S.VOID,
           needs_pending="void"),
        _a("reject_request", "驳回申请", "Reject the request",
           {S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.PROCESSING}, {"dispatcher", "shift_leader"}, None,
           reason_required=True, needs_pending="*"),
        _a("resume", "恢复处置", "Resume", {S.SUSPENDED}, {"dispatcher"} | DEPT, S.PROCESSING, clock="resume",
           own_department=True),
        # Checking and closing (10–12).
        _a("send_check", "派发核查", "Send for checking", {S.PROCESSED}, {"operator"}, S.CHECKING),
        _a("check_ok", "核查通过", "Fixed", {S.CHECKING}, {"inspector"}, S.CHECKED_OK),
        _a("check_fail", "核查未通过（返工）", "Not fixed: rework", {S.CHECKING}, {"inspector"}, S.PROCESSING,
           reason_required=True, clock="rework"),
        _a("close", "结案", "Close", {S.CHECKED_OK}, {"shift_leader"}, S.CLOSED),
        # Callback (14).
        _a("callback", "回访", "Call back", {S.CLOSED}, {"operator", "citizen"}, None),
        _a("reopen", "重新处置", "Reopen", {S.CLOSED}, {"operator"}, S.PROCESSING, reason_required=True,
           clock="restart"),
    )
}  # fmt: skip

# How a case comes into being, by source: inspector reports are REPORTED at once, public
# reports wait for verification unless the city trusts the channel (DOMAIN.md §3 steps 1–2).
CREATE_ACTIONS = {
    "report": Text("巡查上报", "Inspector report"),
    "self_handle": Text("自处理上报", "Fixed on the spot"),
    "register": Text("登记", "Registered"),
}
SOURCES = ("inspector", "citizen", "hotline", "camera", "sensor", "drone", "sms", "open311")
URGENCIES = ("normal", "urgent")


def actions_from(state: State) -> list[Action]:
    """The actions the table allows in `state` (before role, city and pending checks)."""
    return [a for a in ACTIONS.values() if state in a.sources]
