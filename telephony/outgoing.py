"""Outcome of click-to-call (Originate: the desk's own phone first, then the target).

Pure logic. The immediate Originate response and the ``OriginateResponse`` (correlated by
ActionID by the link) say whether the *desk's phone* answered; what happened to the *target*
is told by the ``DialEnd`` of the second leg (``Channel`` = the originated channel,
``DialStatus`` ANSWER / NOANSWER / BUSY / …), and the call's duration by the ``Hangup`` of the
originated channel (transcript 06b). ``OriginateResponse`` and the second leg's events come in
either order, so recent second-leg outcomes are remembered by Linkedid for a while.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from .events import CallPurpose, OriginateOutcome, OriginateResult
from .protocol import AmiMessage

_RECENT = 256

#: OriginateResponse ``Reason`` codes (Asterisk's AST_CONTROL_* values).
REASON_ANSWERED = 4
REASON_NO_ANSWER = 3
REASON_BUSY = 5

_DIAL_STATUS = {
    "ANSWER": OriginateOutcome.ANSWERED,
    "NOANSWER": OriginateOutcome.NO_ANSWER,
    "CANCEL": OriginateOutcome.NO_ANSWER,
    "BUSY": OriginateOutcome.BUSY,
}
_DIAL_DETAIL = {
    "ANSWER": "对方已接听",
    "NOANSWER": "对方无人接听",
    "CANCEL": "对方接听前坐席已挂机",
    "BUSY": "对方忙线",
    "CONGESTION": "线路拥塞，呼叫失败",
    "CHANUNAVAIL": "对方号码不可用",
}


def outcome_of_reason(reason: int | None) -> tuple[OriginateOutcome, str]:
    """The outcome when the *desk's phone* (first leg) did not answer."""
    if reason == REASON_NO_ANSWER:
        return OriginateOutcome.NO_ANSWER, "坐席话机未接听，呼叫未发出"
    if reason == REASON_BUSY:
        return OriginateOutcome.BUSY, "坐席话机忙，呼叫未发出"
    return OriginateOutcome.FAILED, "无法呼叫坐席话机"


@dataclass
class Outgoing:
    action_id: str
    purpose: CallPurpose
    number: str
    started_at: datetime
    reason_code: int | None = None
    uniqueid: str | None = None  # the originated channel (= the call's Linkedid)
    outcome: OriginateOutcome | None = None
    detail: str = ""
    answered_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def settled(self) -> bool:
        """Outcome known and, if answered, the call is over."""
        return self.outcome is not None and (self.outcome is not OriginateOutcome.ANSWERED or self.ended_at is not None)

    def result(self) -> OriginateResult:
        duration = None
        if self.answered_at is not None and self.ended_at is not None:
            duration = max(0.0, (self.ended_at - self.answered_at).total_seconds())
        return OriginateResult(
            action_id=self.action_id,
            purpose=self.purpose,
            number=self.number,
            outcome=self.outcome or OriginateOutcome.FAILED,
            reason_code=self.reason_code,
            started_at=self.started_at,
            answered_at=self.answered_at,
            ended_at=self.ended_at,
            duration=duration,
            detail=self.detail,
        )


class OutgoingCalls:
    """The desk's click-to-calls in flight; feed it events, ask :meth:`get` for their state."""

    def __init__(self) -> None:
        self._calls: dict[str, Outgoing] = {}
        self._by_uniqueid: dict[str, str] = {}
        # Linkedid -> (DialStatus, at) / hangup time, for events that beat the OriginateResponse.
        self._dial_end: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        self._hangup: OrderedDict[str, datetime] = OrderedDict()

    def add(self, call: Outgoing) -> None:
        self._calls[call.action_id] = call

    def get(self, action_id: str) -> Outgoing | None:
        return self._calls.get(action_id)

    def remove(self, action_id: str) -> None:
        call = self._calls.pop(action_id, None)
        if call is not None and call.uniqueid:
            self._by_uniqueid.pop(call.uniqueid, None)

    def pending(self) -> list[Outgoing]:
        return [c for c in self._calls.values() if not c.settled]

    def first_leg_failed(self, action_id: str, reason: int | None, detail: str | None = None) -> None:
        call = self._calls[action_id]
        call.reason_code = reason
        call.outcome, call.detail = outcome_of_reason(reason)
        if detail:
            call.detail = detail

    def first_leg_answered(self, action_id: str, uniqueid: str, now: datetime) -> None:
        """The desk's phone answered (OriginateResponse Success): now the target rings."""
        call = self._calls[action_id]
        call.reason_code = REASON_ANSWERED
        call.uniqueid = uniqueid
        self._by_uniqueid[uniqueid] = action_id
        early = self._dial_end.pop(uniqueid, None)
        if early is not None:
            self._apply_dial_end(call, *early)
        hung = self._hangup.pop(uniqueid, None)
        if hung is not None:
            self._apply_hangup(call, hung)

    def _apply_dial_end(self, call: Outgoing, status: str, at: datetime) -> None:
        if call.outcome is not None:
            return
        call.outcome = _DIAL_STATUS.get(status, OriginateOutcome.FAILED)
        call.detail = _DIAL_DETAIL.get(status, f"呼叫失败（{status}）")
        if call.outcome is OriginateOutcome.ANSWERED:
            call.answered_at = at

    def _apply_hangup(self, call: Outgoing, at: datetime) -> None:
        if call.outcome is None:
            call.outcome = OriginateOutcome.NO_ANSWER
            call.detail = "对方接听前通话已结束"
        if call.ended_at is None:
            call.ended_at = at

    def feed(self, msg: AmiMessage, now: datetime) -> Outgoing | None:
        """Take one event; return the outgoing call it changed, if any."""
        name = msg.name
        if name == "DialEnd":
            if not msg.get("Channel"):
                return None  # the first leg (our own phone) — told by OriginateResponse
            linkedid = msg.get("Uniqueid") or ""
            status = (msg.get("DialStatus") or "").upper()
            action_id = self._by_uniqueid.get(linkedid)
            if action_id is None:
                self._remember(self._dial_end, linkedid, (status, now))
                return None
            call = self._calls[action_id]
            self._apply_dial_end(call, status, now)
            return call
        if name == "Hangup":
            uid = msg.get("Uniqueid") or ""
            action_id = self._by_uniqueid.get(uid)
            if action_id is None:
                if uid and uid == msg.get("Linkedid"):
                    self._remember(self._hangup, uid, now)
                return None
            call = self._calls[action_id]
            self._apply_hangup(call, now)
            return call
        return None

    def lost_during_outage(self, live_uniqueids: set[str], now: datetime) -> list[Outgoing]:
        """After a resync: calls whose channel is gone ended while the link was down."""
        changed: list[Outgoing] = []
        for call in self._calls.values():
            if call.uniqueid and not call.settled and call.uniqueid not in live_uniqueids:
                self._apply_hangup(call, now)
                call.detail += "（链路中断期间结束，时间为估计值）"
                changed.append(call)
        return changed

    @staticmethod
    def _remember(store: OrderedDict, key: str, value: object) -> None:
        if not key:
            return
        store[key] = value
        store.move_to_end(key)
        while len(store) > _RECENT:
            store.popitem(last=False)
