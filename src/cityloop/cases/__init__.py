"""Cases: the records of the loop — cases, tasks, evidence, followers and the hash-chained timeline."""

from cityloop.cases.actors import Actor
from cityloop.cases.create import do_create_case
from cityloop.cases.merge import DUPLICATE_REASON, OPEN_STATES, add_follower, cases_near, do_merge
from cityloop.cases.models import Case, CaseCounter, ChainHead, Evidence, Follower, Task, TimelineEvent
from cityloop.cases.recategorise import do_recategorise
from cityloop.cases.timeline import VerifyReport, append_event, verify_city
from cityloop.cases.transition import do_transition
from cityloop.cases.workflow import ACTIONS, STATE_TASKS, State

__all__ = [
    "ACTIONS",
    "DUPLICATE_REASON",
    "OPEN_STATES",
    "STATE_TASKS",
    "Actor",
    "Case",
    "CaseCounter",
    "ChainHead",
    "Evidence",
    "Follower",
    "State",
    "Task",
    "TimelineEvent",
    "VerifyReport",
    "add_follower",
    "append_event",
    "cases_near",
    "do_create_case",
    "do_merge",
    "do_recategorise",
    "do_transition",
    "verify_city",
]
