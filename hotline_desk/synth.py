"""Synthetic tickets for demos and benchmarks: a year of realistic history at any volume.

Why it writes rows directly instead of calling the services a million times: the services do
one transaction per step (~7 per ticket), which would take hours for a million tickets. Instead
each ticket's whole life is *simulated* with the same rules the services apply (working-day
deadlines on the shared calendar, the deadline policy, contact snapshots, notices in the outbox,
the timeline's versions, the text index built with ``hotline_desk.text.index_tokens``) and the
resulting rows are bulk-inserted: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

What makes it realistic:

* narratives composed from per-subject templates (``resources/synth_templates.json``) with real
  Shangrao districts and townships; subjects weighted like a 12345 hotline's hot spots;
* calls spread over the year (fewer at weekends and holidays, a summer peak, office-hour peaks);
* repeat callers with a heavy tail (most citizens call once, a few call hundreds of times);
* every ticket's life simulated up to ``now``: not accepted, answered on the call, dispatched
  (direct / joint / assigned), returned, extended, late or stuck with the unit (so some are
  overdue), replied, reviewed (sometimes returned), called back (satisfied, unsatisfied → 重办,
  unreachable), closed.

Deterministic: the same seed, volume and ``now`` give the same tickets.
"""
from __future__ import annotations

import bisect
import json
import operator
import queue
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import sqlalchemy as sa

from hotline_desk.calendar import WorkCalendar
from hotline_desk.domain import (
    Action, Category, Channel, DeadlinePolicy, DispatchMode, ReplyMethod, Role, Satisfaction,
    Status, SupervisionKind,
)
from hotline_desk.errors import CalendarUnknownYear, DeskError
from hotline_desk.paths import resources_dir
from hotline_desk.services.directory import rebuild_unit_subject_stats
from hotline_desk.services.notices import (
    CLOSING_NOTICE, DISPATCH_NOTICE, KIND_ZH, closing_notice, cn_date, dispatch_notice,
)
from hotline_desk.store import models as m
from hotline_desk.store.types import SHANGHAI, UtcDateTime
from hotline_desk.text import index_tokens

CITY_CODE = "361100"

_CATEGORY = {c.value: c for c in Category}
_DISTRICT_WEIGHTS = {"361102": 14, "361103": 12, "361104": 12, "361123": 8, "361124": 6,
                     "361125": 3, "361126": 5, "361127": 10, "361128": 14, "361129": 5,
                     "361130": 5, "361181": 4}
_HOUR_WEIGHTS = [0.15, 0.1, 0.08, 0.06, 0.06, 0.1, 0.3, 0.7, 1.2, 1.5, 1.5, 1.3,
                 0.8, 0.9, 1.3, 1.4, 1.3, 1.1, 0.8, 0.7, 0.7, 0.6, 0.4, 0.25]
_MOBILE_PREFIXES = ["139", "138", "137", "135", "136", "150", "151", "152", "158", "159", "182",
                    "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
                    "153", "180", "181", "189", "177", "199", "191", "176", "166", "178", "198"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗余汪程叶詹俞方邱江童夏洪姜熊万"
_GIVEN = "建华国强文明丽娟秀英志刚海燕晓东红梅春兰小军玉兰伟平金凤德胜桂芳永福佳怡子涵浩然梓萱"
_CHANNELS = [(Channel.PHONE, 78), (Channel.WECHAT, 8), (Channel.WEB, 6), (Channel.APP, 6),
             (Channel.LETTER, 2)]
_SATISFACTION = [(Satisfaction.SATISFIED, 68), (Satisfaction.BASICALLY_SATISFIED, 17),
                 (Satisfaction.UNSATISFIED, 8), (Satisfaction.UNREACHABLE, 7)]
_REPLY_METHODS = [(ReplyMethod.ONLINE, 60), (ReplyMethod.WRITTEN, 25), (ReplyMethod.PHONE, 15)]


@dataclass
class SynthReport:
    """What ``generate`` wrote, for the CLI and the benchmarks' notes."""

    tickets: int = 0
    timeline_rows: int = 0
    token_rows: int = 0
    assignments: int = 0
    outbox_rows: int = 0
    supervisions: int = 0
    callers: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    first_registered: datetime | None = None
    last_registered: datetime | None = None

    def summary_zh(self) -> str:
        parts = "，".join(f"{Status(k).label_zh}{v}" for k, v in sorted(self.statuses.items()))
        return (f"已生成 {self.tickets} 张工单（来电人 {self.callers} 位，时间线 {self.timeline_rows} 条，"
                f"检索词 {self.token_rows} 条），用时 {self.seconds:.1f} 秒。状态：{parts}；"
                f"其中超期 {self.overdue} 张。")


# ---------------------------------------------------------------------------------------------
# Reference data (read from the database the tickets go into)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    id: int
    code: str
    name: str
    contact_person: str
    phone: str
    district_code: str


@dataclass(frozen=True)
class _Staff:
    id: int
    name: str


class _Reference:
    def __init__(self, conn: sa.Connection) -> None:
        subj = conn.execute(sa.select(m.Subject.id, m.Subject.code, m.Subject.name, m.Subject.path,
                                      m.Subject.parent_id).where(m.Subject.active)).all()
        self.subjects = {r.code: r for r in subj}
        self.leaves = [r for r in subj if r.parent_id is not None]
        self.townships: dict[str, list[str]] = {}
        for r in conn.execute(sa.select(m.Township.district_code, m.Township.name)
                              .order_by(m.Township.district_code, m.Township.sort, m.Township.id)):
            self.townships.setdefault(r.district_code, []).append(r.name)
        self.districts = {r.code: r.name for r in conn.execute(sa.select(m.District.code, m.District.name))}
        units = conn.execute(sa.select(m.Unit).where(m.Unit.active)
                             .where(m.Unit.contact_person != "").where(m.Unit.phone != "")).all()
        self.units = {r.code: _Unit(r.id, r.code, r.name, r.contact_person, r.phone, r.district_code)
                      for r in units}
        self.unit_subjects: dict[int, set[str]] = {}
        for r in conn.execute(sa.select(m.UnitSubject.unit_id, m.Subject.code)
                              .join(m.Subject, m.Subject.id == m.UnitSubject.subject_id)):
            self.unit_subjects.setdefault(r.unit_id, set()).add(r.code)
        self.reasons = {r.code: r for r in conn.execute(sa.select(m.NotInScopeReason)
                                                        .where(m.NotInScopeReason.active))}
        self.staff: dict[Role, list[_Staff]] = {}
        self.liaison_by_unit: dict[int, _Staff] = {}
        for r in conn.execute(sa.select(m.Staff).where(m.Staff.active).order_by(m.Staff.id)):
            who = _Staff(r.id, r.display_name)
            for role in filter(None, (r.roles or "").split(",")):
                self.staff.setdefault(Role(role.strip()), []).append(who)
                if role.strip() == Role.UNIT_LIAISON.value and r.unit_id is not None:
                    self.liaison_by_unit[r.unit_id] = who
        missing = []
        if not self.leaves:
            missing.append("诉求分类")
        if not self.districts or not self.townships:
            missing.append("县市区及乡镇")
        if not self.units:
            missing.append("承办单位")
        if not self.staff:
            missing.append("工作人员")
        if missing:
            raise DeskError(f"生成演示数据前请先载入基础数据：{'、'.join(missing)}",
                            "load the reference data (taxonomy, districts, units, staff) first")

    def anyone(self, *roles: Role) -> list[_Staff]:
        for role in roles:
            if self.staff.get(role):
                return self.staff[role]
        return next(iter(self.staff.values()))


# ---------------------------------------------------------------------------------------------
# Working days, fast: the shared calendar's working days as a sorted list
# ---------------------------------------------------------------------------------------------


class _Workdays:
    """``WorkCalendar`` answers for a fixed range, by bisection (millions of deadlines).

    A computation beyond the last known day raises :class:`CalendarUnknownYear`, as the services do.
    """

    def __init__(self, cal: WorkCalendar, first: date, last: date) -> None:
        self.days: list[date] = []
        self.limit = last
        d = first
        while d <= last:
            if not cal.known(d.year):
                self.limit = d - timedelta(days=1)
                break
            if cal.is_workday(d):
                self.days.append(d)
            d += timedelta(days=1)
        self._unknown_year = self.limit.year + 1 if self.limit < last else None

    def _fail(self) -> CalendarUnknownYear:
        return CalendarUnknownYear(self._unknown_year or self.limit.year + 1)

    def add(self, start: date, n: int) -> date:
        i = bisect.bisect_left(self.days, start) if n == 0 else bisect.bisect_right(self.days, start) + n - 1
        if i >= len(self.days):
            raise self._fail()
        return self.days[i]

    def between(self, a: date, b: date) -> int:
        return bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a)

    def is_workday(self, d: date) -> bool:
        i = bisect.bisect_left(self.days, d)
        return i < len(self.days) and self.days[i] == d


class _Random(random.Random):
    """``random.Random`` with cheaper ``randint``/``choice`` (millions of draws; same seed, same data)."""

    def randint(self, a: int, b: int) -> int:  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


class _Future(Exception):
    """The simulated life reached ``now``: later steps have not happened yet."""


# ---------------------------------------------------------------------------------------------
# One ticket's rows
# ---------------------------------------------------------------------------------------------


class _Rows:
    """Rows of one batch, per table, as dicts keyed by column name."""

    def __init__(self) -> None:
        self.ticket: list[dict[str, Any]] = []
        self.assignment: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []
        self.outbox: list[dict[str, Any]] = []
        self.supervision: list[dict[str, Any]] = []
        self.tokens: list[tuple[int, datetime, set[str]]] = []


class _Life:
    """Simulates one ticket from registration to ``now`` with the services' rules."""

    def __init__(self, gen: "_Generator", t: dict[str, Any], rows: _Rows) -> None:
        self.g = gen
        self.t = t
        self.rows = rows
        self.version = 0
        self.status: Status | None = None
        self.last_at: datetime = t["registered_at"]
        self.last_staff: _Staff = gen.current_agent
        self.assignments: list[dict[str, Any]] = []   # this ticket's rows in rows.assignment

    # -- timeline -------------------------------------------------------------------------
    def step(self, at: datetime, action: Action, to: Status, who: _Staff, text: str,
             detail: dict[str, Any], notices: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        if at > self.g.now:
            raise _Future
        self.version += 1
        self.rows.timeline.append({
            "id": self.g.next_id("timeline"), "ticket_id": self.t["id"], "at": at,
            "action": action.value, "staff_id": who.id, "staff_name": who.name,
            "desk_id": self.g.desk_id, "from_status": self.status.value if self.status else None,
            "to_status": to.value, "version": self.version, "text": text, "detail": detail})
        self.status = to
        self.last_at, self.last_staff = at, who
        if to is Status.CLOSED and action in (Action.REVIEW, Action.CALLBACK):
            notices = list(notices) + [(CLOSING_NOTICE, closing_notice(self.t["number"]))]
        for kind, body in notices:
            self.notice(at, kind, body)

    def notice(self, at: datetime, kind: str, body: str) -> None:
        if not self.t["caller_phone"]:
            return
        self.rows.outbox.append({
            "id": self.g.next_id("outbox"), "ticket_id": self.t["id"], "kind": kind,
            "phone": self.t["caller_phone"], "text": body, "created_at": at,
            "sent_at": at + timedelta(seconds=20), "attempts": 1, "last_error": ""})
        self.rows.timeline.append({
            "id": self.g.next_id("timeline"), "ticket_id": self.t["id"], "at": at,
            "action": Action.NOTICE.value, "staff_id": None, "staff_name": "系统",
            "desk_id": self.g.desk_id, "from_status": None, "to_status": None,
            "version": self.version, "text": f"{KIND_ZH[kind]}已生成：{body}", "detail": {"kind": kind}})

    def check(self, at: datetime) -> None:
        """Called before a step changes anything: a step after ``now`` has not happened yet."""
        if at > self.g.now:
            raise _Future

    # -- the life -------------------------------------------------------------------------
    def run(self) -> None:
        g, t = self.g, self.t
        cat = _CATEGORY[t["category"]]
        self.step(t["registered_at"], Action.REGISTER, Status.REGISTERED, g.current_agent,
                  f"登记{cat.label_zh}工单（{Channel(t['channel']).label_zh}受理，{t['_subject_path']}）",
                  {"category": cat.value, "channel": t["channel"], "call_ref": t["call_ref"]})
        try:
            if t["_fate"] == "reject":
                self.reject()
            elif t["_fate"] == "resolve":
                self.resolve()
            else:
                self.dispatch_life(cat)
        except _Future:
            pass
        except CalendarUnknownYear:
            pass  # the next step's deadline falls in a year nobody has entered: it waits there
        self.finish()

    def minutes_after(self, at: datetime, lo: int, hi: int) -> datetime:
        return at + timedelta(minutes=self.g.rng.randint(lo, hi), seconds=self.g.rng.randint(0, 59))

    def office_time(self, day: date) -> datetime:
        """A moment of office hours (8:30–17:30) on ``day``, Shanghai time."""
        minute = self.g.rng.randint(0, 540)
        return datetime(day.year, day.month, day.day, 8, 30, tzinfo=SHANGHAI) + \
            timedelta(minutes=minute, seconds=self.g.rng.randint(0, 59))

    def later_office_time(self, at: datetime, day: date) -> datetime:
        when = self.office_time(day)
        return when if when > at else self.minutes_after(at, 5, 90)

    def reject(self) -> None:
        reason = self.g.reasons[self.t["_reason"]]
        at = self.minutes_after(self.t["registered_at"], 1, 6)
        self.check(at)
        self.t["not_in_scope_code"] = reason.code
        self.step(at, Action.REJECT, Status.NOT_ACCEPTED, self.g.current_agent,
                  f"不予受理：{reason.label}。已告知：{reason.channel_sentence}",
                  {"reason_code": reason.code, "note": ""})
        self.t["closed_at"] = at

    def resolve(self) -> None:
        g, t, rng = self.g, self.t, self.g.rng
        at = self.minutes_after(t["registered_at"], 2, 9)
        self.check(at)
        answer = rng.choice(g.tpl["resolutions"]["consultation" if t["category"] == "consultation"
                                                   else "other"])
        t["resolution"] = answer
        if t["callback_wanted"]:
            due = g.wd.add(at.date(), g.policy.callback_days)
            t["callback_due"] = due
            self.step(at, Action.RESOLVE, Status.RESOLVED, g.current_agent,
                      f"当场解答：{answer[:60]}", {"answer": answer})
            self.callback(due, allow_unsatisfied=False)
        else:
            self.step(at, Action.RESOLVE, Status.CLOSED, g.current_agent,
                      f"当场解答：{answer[:60]}", {"answer": answer})
            t["closed_at"] = at

    def pick_units(self, exclude: set[int] = frozenset()) -> list[_Unit]:  # type: ignore[assignment]
        g, t, rng = self.g, self.t, self.g.rng
        pool = [u for u in g.handlers(t["_subject_code"], t["district_code"]) if u.id not in exclude]
        if not pool:
            pool = [u for u in g.all_units if u.id not in exclude]
        lead = rng.choice(pool)
        units = [lead]
        if t["dispatch_mode"] == DispatchMode.JOINT.value:
            others = [u for u in g.handlers(t["_subject_code"], t["district_code"], wide=True)
                      if u.id != lead.id and u.id not in exclude]
            if not others:
                others = [u for u in g.all_units if u.id != lead.id]
            units.extend(rng.sample(others, min(len(others), rng.choice((1, 1, 2)))))
        return units

    def dispatch(self, at: datetime, cat: Category, exclude: set[int] = frozenset()) -> list[_Unit]:  # type: ignore[assignment]
        g, t, rng = self.g, self.t, self.g.rng
        self.check(at)
        units = self.pick_units(exclude)
        day = at.astimezone(SHANGHAI).date()
        mode = DispatchMode(t["dispatch_mode"])
        if mode is DispatchMode.ASSIGNED:
            due = g.wd.add(day, rng.randint(2, 8))
        elif t["urgency"] == "urgent":
            due = g.wd.add(day, 0)
        else:
            due = g.wd.add(day, g.policy.days_for(cat))
        try:
            max_due: date | None = g.wd.add(day, g.policy.max_days)
        except CalendarUnknownYear:
            max_due = None
        working_days = g.wd.between(day, due)
        for a in self.assignments:
            a["active"] = False
        for i, u in enumerate(units):
            row = {"id": g.next_id("assignment"), "ticket_id": t["id"], "unit_id": u.id,
                   "role": "lead" if i == 0 else "co", "unit_name": u.name,
                   "contact_person": u.contact_person, "contact_phone": u.phone,
                   "dispatched_at": at, "acknowledged_at": None, "active": True}
            self.rows.assignment.append(row)
            self.assignments.append(row)
        lead = units[0]
        instructions = "请于期限内办结并反馈结果。" if mode is DispatchMode.ASSIGNED else ""
        t.update(dispatched_at=at, dispatch_day=day, instructions=instructions, lead_unit_id=lead.id,
                 due_date=due, working_days=working_days, ack_due=g.wd.add(day, g.policy.ack_days),
                 return_until=g.wd.add(day, g.policy.return_days), max_due_date=max_due,
                 extension_requested_due=None, extension_reason="")
        notice = dispatch_notice(t["number"], lead.name, lead.contact_person, lead.phone, due,
                                 [u.name for u in units[1:]])
        co_text = f"，协办：{'、'.join(u.name for u in units[1:])}" if units[1:] else ""
        self.step(at, Action.DISPATCH, Status.DISPATCHED, g.current_dispatcher,
                  f"{mode.label_zh}至{lead.name}（联系人{lead.contact_person}，{lead.phone}）{co_text}，"
                  f"办理期限{cn_date(due)}（{working_days}个工作日）",
                  {"mode": mode.value, "units": [u.id for u in units], "due_date": due.isoformat(),
                   "working_days": working_days, "instructions": instructions},
                  [(DISPATCH_NOTICE, notice)])
        return units

    def unit_actor(self, unit: _Unit) -> _Staff:
        return self.g.ref.liaison_by_unit.get(unit.id) or self.g.current_dispatcher

    def dispatch_life(self, cat: Category) -> None:
        g, t, rng = self.g, self.t, self.g.rng
        reg = t["registered_at"].astimezone(SHANGHAI)
        if 8 <= reg.hour < 17 and g.wd.is_workday(reg.date()):
            at = self.minutes_after(reg, 8, 100)
        else:
            at = self.office_time(g.wd.add(reg.date(), 1))
            at = at.replace(hour=8, minute=30) + timedelta(minutes=rng.randint(0, 90))
        units = self.dispatch(at, cat)
        lead = units[0]
        if t["_returned"]:
            back = self.later_office_time(at, g.wd.add(at.date(), rng.choice((0, 1, 1, 2))))
            self.check(back)
            t["return_count"] += 1
            for a in self.assignments:
                a["active"] = False
            t["lead_unit_id"] = None
            reason = "经核实，该事项不属于我单位职责范围，请重新指派。"
            self.step(back, Action.RETURN, Status.RETURNED, self.unit_actor(lead),
                      f"{lead.name}退单：{reason}", {"unit_id": lead.id, "reason": reason})
            at = self.minutes_after(back, 20, 240)
            units = self.dispatch(at, cat, exclude={lead.id})
            lead = units[0]
        day = at.astimezone(SHANGHAI).date()
        # 签收: the lead unit signs on the day or the next working day
        ack = self.later_office_time(at, g.wd.add(day, rng.choice((0, 0, 1))))
        self.check(ack)
        lead_row = next(a for a in self.assignments if a["active"] and a["role"] == "lead")
        late_ack = ack.date() > t["ack_due"]
        self.step(ack, Action.ACKNOWLEDGE, Status.IN_PROGRESS, self.unit_actor(lead),
                  f"{lead.name}签收" + ("（超过签收时限）" if late_ack else ""),
                  {"unit_id": lead.id, "late": late_ack})
        lead_row["acknowledged_at"] = ack
        self.handle(cat, lead, ack, rehandle=False)

    def handle(self, cat: Category, lead: _Unit, start: datetime, rehandle: bool) -> None:
        """The unit works, maybe asks for more time, maybe is late or stuck; then replies."""
        g, t, rng = self.g, self.t, self.g.rng
        day0 = t["dispatch_day"]
        wd = max(t["working_days"] or 0, 0)
        fate = "normal" if rehandle else t["_handling"]
        if fate == "stuck":
            # a hard case: weeks past the deadline, supervised, then answered
            reply_day = g.wd.add(t["due_date"], rng.randint(12, 50))
            self.supervise_when_late(lead, start, before=reply_day)
            self.reply(lead, self.later_office_time(start, reply_day))
            return
        if fate == "extended" and t["max_due_date"] is not None and wd >= 3:
            ask = self.later_office_time(start, g.wd.add(day0, max(1, wd - 2)))
            wanted = min(g.wd.add(t["due_date"], rng.randint(5, 10)), t["max_due_date"])
            reason = "该事项涉及多个部门协调，需要进一步调查核实。"
            self.check(ask)
            self.step(ask, Action.REQUEST_EXTENSION, Status.IN_PROGRESS, self.unit_actor(lead),
                      f"申请延期至{cn_date(wanted)}：{reason}",
                      {"unit_id": lead.id, "requested_due": wanted.isoformat(), "reason": reason})
            t["extension_requested_due"], t["extension_reason"] = wanted, reason
            decide = self.minutes_after(ask, 30, 300)
            self.check(decide)
            t["due_date"] = wanted
            t["working_days"] = g.wd.between(day0, wanted)
            t["extension_count"] += 1
            t["extension_requested_due"], t["extension_reason"] = None, ""
            self.step(decide, Action.DECIDE_EXTENSION, Status.IN_PROGRESS, g.current_supervisor,
                      f"同意延期至{cn_date(wanted)}",
                      {"approve": True, "requested_due": wanted.isoformat(), "comment": ""})
            wd = t["working_days"]
        if fate == "late":
            reply_day = g.wd.add(t["due_date"], rng.randint(1, 6))
            self.supervise_when_late(lead, start, before=reply_day)
        elif wd == 0:
            reply_day = t["due_date"]
        else:
            reply_day = g.wd.add(day0, rng.randint(max(1, wd * 3 // 10), wd))
        self.reply(lead, self.later_office_time(start, reply_day))

    def supervise_when_late(self, lead: _Unit, start: datetime, before: date | None = None) -> None:
        """督办: the day after the deadline passes, a supervisor phones the unit."""
        g, t, rng = self.g, self.t, self.g.rng
        day = g.wd.add(t["due_date"], 1)
        if before is not None and day >= before:
            return
        at = self.later_office_time(start, day)
        self.check(at)
        note = "工单已超过办理期限，督促承办单位加快办理并尽快反馈。"
        who = g.current_supervisor
        duration = rng.randint(40, 300)
        self.rows.supervision.append({
            "id": g.next_id("supervision"), "ticket_id": t["id"], "unit_id": lead.id,
            "kind": SupervisionKind.PHONE.value, "outcome": "answered", "duration_s": duration,
            "note": note, "staff_id": who.id, "at": at})
        t["supervision_count"] += 1
        self.step(at, Action.SUPERVISE, self.status or Status.IN_PROGRESS, who,
                  f"{SupervisionKind.PHONE.label_zh}{lead.name}（已接通）：{note}",
                  {"kind": "phone", "unit_id": lead.id, "outcome": "answered",
                   "duration_s": duration, "note": note})

    def reply(self, lead: _Unit, at: datetime) -> None:
        g, t, rng = self.g, self.t, self.g.rng
        method = g.weighted(_REPLY_METHODS)
        process = rng.choice(g.tpl["replies"]["process"]).format(township=t["township"] or "属地")
        result = rng.choice(g.tpl["replies"]["result"])
        self.check(at)
        late = at.date() > t["due_date"]
        who = self.unit_actor(lead) if method is ReplyMethod.ONLINE else g.current_dispatcher
        t.update(reply_method=method.value, reply_process=process, reply_result=result, replied_at=at)
        self.step(at, Action.REPLY, Status.REPLIED, who,
                  f"{method.label_zh}：{result[:60]}" + ("（超期答复）" if late else ""),
                  {"unit_id": lead.id, "method": method.value, "late": late})
        review = self.later_office_time(at, g.wd.add(at.date(), rng.choice((0, 0, 1))))
        if t["_review_rejects"] and not t["_review_rejected_once"]:
            t["_review_rejected_once"] = True
            comment = "答复内容过于简单，未说明具体处理结果，请补充后重新答复。"
            self.step(review, Action.REVIEW, Status.IN_PROGRESS, g.current_supervisor,
                      f"审核退回：{comment}", {"approve": False, "comment": comment})
            again = self.later_office_time(review, g.wd.add(review.date(), rng.randint(1, 3)))
            self.reply(lead, again)
            return
        if t["callback_wanted"]:
            self.check(review)
            due = g.wd.add(review.date(), g.policy.callback_days)
            t["callback_due"] = due
            self.step(review, Action.REVIEW, Status.CALLBACK_PENDING, g.current_supervisor,
                      f"审核通过，{cn_date(due)}前回访", {"approve": True, "comment": ""})
            self.callback(due, allow_unsatisfied=t["rehandle_count"] == 0, lead=lead)
        else:
            self.step(review, Action.REVIEW, Status.CLOSED, g.current_supervisor,
                      "审核通过，群众不需回访，办结", {"approve": True, "comment": ""})
            t["closed_at"] = review

    def callback(self, due: date, allow_unsatisfied: bool, lead: _Unit | None = None) -> None:
        g, t, rng = self.g, self.t, self.g.rng
        day = due if rng.random() < 0.85 else g.wd.add(due, 1)
        at = self.office_time(day)
        if at <= self.last_at:
            at = self.minutes_after(self.last_at, 30, 200)
        who = g.current_callback
        while True:
            sat = t["_satisfaction"] if t["callback_attempts"] == 0 else \
                g.weighted([(Satisfaction.SATISFIED, 60), (Satisfaction.UNREACHABLE, 40)])
            if sat is Satisfaction.UNSATISFIED and not allow_unsatisfied:
                sat = Satisfaction.BASICALLY_SATISFIED
            text = f"回访结果：{sat.label_zh}"
            detail = {"satisfaction": sat.value, "note": "", "outcome": "answered"
                      if sat is not Satisfaction.UNREACHABLE else "no_answer", "duration_s": None}
            self.check(at)
            if sat is Satisfaction.UNREACHABLE:
                t["callback_attempts"] += 1
                if t["callback_attempts"] >= g.policy.callback_attempts:
                    t["satisfaction"] = sat.value
                    t["closed_at"] = at
                    self.step(at, Action.CALLBACK, Status.CLOSED, who,
                              text + f"（已回访{t['callback_attempts']}次未联系上，办结）", detail)
                    return
                nxt = g.wd.add(at.astimezone(SHANGHAI).date(), 1)
                t["callback_due"] = nxt
                self.step(at, Action.CALLBACK, self.status or Status.CALLBACK_PENDING, who,
                          text + f"（第{t['callback_attempts']}次），{cn_date(nxt)}再次回访", detail)
                at = self.office_time(nxt)
                continue
            if sat is Satisfaction.UNSATISFIED and lead is not None:
                cat = _CATEGORY[t["category"]]
                today = at.astimezone(SHANGHAI).date()
                due2 = g.wd.add(today, g.policy.days_for(cat))
                t["satisfaction"] = sat.value
                t["rehandle_count"] += 1
                t.update(dispatch_day=today, due_date=due2, working_days=g.wd.between(today, due2),
                         callback_due=None)
                try:
                    t["max_due_date"] = g.wd.add(today, g.policy.max_days)
                except CalendarUnknownYear:
                    t["max_due_date"] = None
                detail["due_date"] = due2.isoformat()
                self.step(at, Action.CALLBACK, Status.IN_PROGRESS, who,
                          text + f"，第{t['rehandle_count']}次重办，办理期限{cn_date(due2)}", detail)
                self.handle(cat, lead, at, rehandle=True)
                return
            t["satisfaction"] = sat.value
            t["closed_at"] = at
            self.step(at, Action.CALLBACK, Status.CLOSED, who, text, detail)
            return

    def finish(self) -> None:
        t = self.t
        assert self.status is not None
        t["status"] = self.status.value
        t["version"] = self.version
        t["open_due"] = t["due_date"] if self.status.with_unit else None
        t["updated_at"] = self.last_at
        t["updated_by_id"] = self.last_staff.id
        if self.status not in (Status.CLOSED, Status.NOT_ACCEPTED):
            t["closed_at"] = None


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


class _Slots(dict):  # type: ignore[type-arg]
    """Template placeholders, drawn only when a template uses them."""

    def __init__(self, gen: "_Generator", ticket: dict[str, Any]) -> None:
        super().__init__()
        self.g = gen
        self.t = ticket

    def __missing__(self, key: str) -> str:
        g, rng, vocab = self.g, self.g.rng, self.g.vocab
        if key == "district":
            value = g.ref.districts[self.t["district_code"]]
        elif key == "township":
            value = self.t["township"]
        elif key == "subject":
            value = self.t["_subject_name"]
        elif key in ("road2",):
            value = rng.choice(vocab["road"])
        elif key in vocab:
            value = rng.choice(vocab[key])
        elif key == "building":
            value = str(rng.randint(1, 32))
        elif key == "meters":
            value = str(rng.choice((50, 100, 200, 300, 500)))
        elif key == "days":
            value = str(rng.choice((2, 3, 5, 7, 10, 15, 20, 30)))
        elif key == "months":
            value = str(rng.choice((1, 2, 3, 4, 6, 8, 12)))
        elif key == "amount":
            value = str(rng.choice((800, 1500, 2600, 3800, 5000, 8600, 12000, 23000, 46000)))
        elif key == "worker_count":
            value = str(rng.choice((5, 8, 12, 20, 35, 60)))
        elif key == "hour":
            value = str(rng.randint(6, 20))
        elif key == "bus":
            value = str(rng.choice((1, 2, 3, 5, 6, 8, 9, 11, 12, 16, 18, 21, 26, 29, 32, 58)))
        else:
            raise KeyError(key)
        self[key] = value
        return value


class _Generator:
    def __init__(self, ref: _Reference, cal: WorkCalendar, policy: DeadlinePolicy, now: datetime,
                 days: int, seed: int, first_ids: dict[str, int], counters: dict[str, int],
                 partition: tuple[int, int] = (0, 1)) -> None:
        self.ref = ref
        self.policy = policy
        self.now = now
        self.partition = partition
        # one stream per partition: the same seed and number of workers give the same data
        self.rng = _Random(seed if partition[1] == 1 else f"{seed}/{partition[0]}/{partition[1]}")
        self.seed = seed
        self.caller_offset = partition[0] * 10_000_000
        self.tpl = json.loads((resources_dir() / "synth_templates.json").read_text(encoding="utf-8"))
        self.vocab: dict[str, list[str]] = self.tpl["vocabulary"]
        self.ids = dict(first_ids)
        self.counters = counters
        self.desk_id = "synth"
        now_day = now.astimezone(SHANGHAI).date()
        self.first_day = now_day - timedelta(days=days - 1)
        self.wd = _Workdays(cal, self.first_day - timedelta(days=10), now_day + timedelta(days=120))
        self.reasons = ref.reasons
        self.callers: list[tuple[str, str, bool]] = []
        self.all_units = list(ref.units.values())
        self._handlers_cache: dict[tuple[str, str, bool], list[_Unit]] = {}
        self._subjects = self._subject_table()
        self._districts = [(c, w) for c, w in _DISTRICT_WEIGHTS.items() if c in ref.townships]
        if not self._districts:
            self._districts = [(c, 1) for c in ref.townships]
        reasons = [(code, w) for code, w in self.tpl["not_in_scope_weights"].items() if code in ref.reasons]
        self._reasons = reasons or [(code, 1) for code in ref.reasons]
        self.agents = ref.anyone(Role.AGENT, Role.SHIFT_LEAD, Role.DISPATCHER)
        self.dispatchers = ref.anyone(Role.DISPATCHER, Role.AGENT)
        self.supervisors = ref.anyone(Role.SUPERVISOR, Role.SHIFT_LEAD)
        self.callback_staff = ref.anyone(Role.CALLBACK, Role.AGENT)
        self.current_agent = self.agents[0]
        self.current_dispatcher = self.dispatchers[0]
        self.current_supervisor = self.supervisors[0]
        self.current_callback = self.callback_staff[0]

    # -- helpers --------------------------------------------------------------------------
    def next_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def weighted(self, pairs: list[tuple[Any, int]]) -> Any:
        total = sum(w for _, w in pairs)
        x = self.rng.random() * total
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]

    def handlers(self, subject_code: str, district: str, wide: bool = False) -> list[_Unit]:
        key = (subject_code, district, wide)
        cached = self._handlers_cache.get(key)
        if cached is not None:
            return cached
        top = subject_code[:2]
        usual = self.ref.unit_subjects
        capable = [u for u in self.all_units
                   if subject_code in usual.get(u.id, ()) or top in usual.get(u.id, ())]
        local = [u for u in capable if u.district_code == district]
        city = [u for u in capable if u.district_code in (CITY_CODE, "")]
        government = [u for u in self.all_units
                      if u.district_code == district and u.code.endswith(".gov")]
        if wide:
            result = capable + government
        elif local:
            result = local
        else:
            result = (city or capable) + government
        if not result:
            result = city or self.all_units
        self._handlers_cache[key] = result
        return result

    def _subject_table(self) -> list[tuple[Any, int, dict[str, Any] | None]]:
        """(subject row, weight, templates) for every active leaf; hot spots weigh more."""
        own = self.tpl["subjects"]
        table = []
        for leaf in self.ref.leaves:
            spec = own.get(leaf.code)
            table.append((leaf, spec["w"] if spec else 2, spec))
        return table

    def caller(self) -> tuple[str, str, bool]:
        """A caller (phone, name, is_new): most call once, a few call very often."""
        rng = self.rng
        if not self.callers or rng.random() < 0.6:
            idx = len(self.callers) + self.caller_offset
            if idx % 8 == 0:
                k = idx // 8
                phone = f"0793{8000000 + (k * 7919 + self.seed * 131) % 1000000}"
            else:
                prefix = _MOBILE_PREFIXES[idx % len(_MOBILE_PREFIXES)]
                phone = f"{prefix}{(idx * 48271 + self.seed * 7777 + 12345678) % 100_000_000:08d}"
            r = rng.random()
            if r < 0.15:
                name = ""
            elif r < 0.45:
                name = rng.choice(_SURNAMES) + rng.choice(("先生", "女士"))
            else:
                name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
            entry = (phone, name, True)
            self.callers.append((phone, name, False))
            return entry
        return self.callers[int(len(self.callers) * rng.random() ** 2.5)]

    def raw_phone(self, phone: str, channel: Channel) -> str:
        """How the PBX or the form delivered the number (normalised to ``phone`` by the services)."""
        if channel is not Channel.PHONE:
            return phone
        r = self.rng.random()
        if phone.startswith("0793"):
            return phone[4:] if r < 0.7 else phone
        return phone if r < 0.6 else ("0" + phone if r < 0.85 else "+86" + phone)

    # -- the year's calls -----------------------------------------------------------------
    def day_counts(self, total: int) -> list[tuple[date, int]]:
        """Tickets per day: fewer at weekends and holidays, a summer peak, a slow rise."""
        now_sh = self.now.astimezone(SHANGHAI)
        days = []
        d = self.first_day
        n_days = (now_sh.date() - self.first_day).days + 1
        for i in range(n_days):
            weekday = d.weekday()
            w = 1.0 if self.wd.is_workday(d) else (0.55 if weekday >= 5 else 0.45)
            if d.month in (6, 7, 8):
                w *= 1.25
            w *= 0.85 + 0.3 * i / max(n_days - 1, 1)
            if d == now_sh.date():
                w *= (now_sh.hour * 60 + now_sh.minute) / 1440
            days.append((d, w))
            d += timedelta(days=1)
        weight_sum = sum(w for _, w in days) or 1.0
        exact = [(day, total * w / weight_sum) for day, w in days]
        counts = [[day, int(x)] for day, x in exact]
        short = total - sum(c for _, c in counts)
        order = sorted(range(len(exact)), key=lambda i: exact[i][1] - int(exact[i][1]), reverse=True)
        for i in order[:short]:
            counts[i][1] += 1
        return [(day, c) for day, c in counts if c]

    def times_of(self, day: date, n: int) -> list[datetime]:
        rng = self.rng
        hours = rng.choices(range(24), weights=_HOUR_WEIGHTS, k=n)
        base = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
        out = []
        for h in hours:
            at = base + timedelta(hours=h, seconds=rng.randint(0, 3599), microseconds=rng.randint(0, 999_999))
            if at >= self.now:
                at = base + (self.now - base) * rng.random()
            out.append(at)
        out.sort()
        return out

    def ticket(self, at: datetime, day_key: str, rows: _Rows) -> None:
        rng = self.rng
        seq = self.counters.get(day_key, 0) + 1
        self.counters[day_key] = seq
        leaf, _w, spec = self.subject_pick()
        district = self.weighted(self._districts)
        townships = self.ref.townships[district]
        channel = self.weighted(_CHANNELS)
        phone, name, _new = self.caller()
        if channel is Channel.LETTER and rng.random() < 0.5:
            phone = ""
        cats = spec["cat"] if spec else {"consultation": 40, "complaint": 35, "help": 15, "suggestion": 10}
        category = self.weighted(list(cats.items()))
        t: dict[str, Any] = {
            "id": self.next_id("ticket"), "number": f"SR{day_key}-{seq:05d}",
            "category": category, "channel": channel.value, "subject_id": leaf.id,
            "urgency": "urgent" if rng.random() < 0.03 else "normal",
            "confidential": category == "complaint" and rng.random() < 0.03,
            "callback_wanted": rng.random() < 0.85,
            "received_at": at - timedelta(seconds=rng.randint(30, 400)),
            "registered_at": at, "registered_by_id": self.current_agent.id, "desk_id": self.desk_id,
            "district_code": district, "township": rng.choice(townships),
            "caller_name": name, "caller_phone": phone,
            "caller_phone_raw": self.raw_phone(phone, channel),
            "call_ref": f"{int(at.timestamp())}.{rng.randint(1, 99999)}" if channel is Channel.PHONE else None,
            "not_in_scope_code": "", "resolution": "", "dispatch_mode": None, "dispatched_at": None,
            "dispatch_day": None, "instructions": "", "lead_unit_id": None, "due_date": None,
            "working_days": None, "open_due": None, "ack_due": None, "return_until": None,
            "max_due_date": None, "extension_requested_due": None, "extension_reason": "",
            "extension_count": 0, "rehandle_count": 0, "return_count": 0, "supervision_count": 0,
            "reply_method": None, "reply_process": "", "reply_result": "", "replied_at": None,
            "callback_due": None, "callback_attempts": 0, "satisfaction": None, "closed_at": None,
            "_subject_code": leaf.code, "_subject_name": leaf.name, "_subject_path": leaf.path,
        }
        t["occurred_at"] = at - timedelta(hours=rng.randint(1, 240)) if rng.random() < 0.6 else None
        # what happens to it
        r = rng.random()
        if r < 0.04:
            t["_fate"], t["_reason"] = "reject", self.weighted(self._reasons)
        elif (category == "consultation" and r < 0.55) or r < 0.08:
            t["_fate"] = "resolve"
        else:
            t["_fate"] = "dispatch"
            mode = self.weighted([(DispatchMode.DIRECT, 86), (DispatchMode.JOINT, 9), (DispatchMode.ASSIGNED, 5)])
            t["dispatch_mode"] = mode.value
            t["_returned"] = rng.random() < 0.04
            t["_handling"] = self.weighted([("normal", 85), ("extended", 4), ("late", 8), ("stuck", 3)])
            t["_review_rejects"] = rng.random() < 0.07
            t["_review_rejected_once"] = False
        t["_satisfaction"] = self.weighted(_SATISFACTION)
        # what the caller said
        slots = _Slots(self, t)
        if t["_fate"] == "reject":
            narrative = rng.choice(self.tpl["not_in_scope"][t["_reason"]]).format_map(slots)
            request = "希望热线帮助解决。"
        elif spec:
            narrative = rng.choice(spec["n"]).format_map(slots)
            request = rng.choice(spec["r"])
        else:
            generic = self.tpl["generic"][category]
            narrative = rng.choice(generic["n"]).format_map(slots)
            request = rng.choice(generic["r"])
        t["narrative"], t["request"] = narrative, request
        t["address"] = self.address(t["township"], slots)
        t["people"] = "" if rng.random() < 0.8 else rng.choice(("物业公司负责人", "包工头", "店主", "施工单位负责人", "邻居"))
        # staff on shift: rotate now and then
        if rng.random() < 0.02:
            self.current_agent = rng.choice(self.agents)
            self.current_dispatcher = rng.choice(self.dispatchers)
            self.current_supervisor = rng.choice(self.supervisors)
            self.current_callback = rng.choice(self.callback_staff)
            t["registered_by_id"] = self.current_agent.id
        _Life(self, t, rows).run()
        rows.ticket.append(t)
        rows.tokens.append((t["id"], at, index_tokens(narrative, request, t["address"], t["township"], t["people"])))

    def subject_pick(self) -> tuple[Any, int, dict[str, Any] | None]:
        if not hasattr(self, "_subject_cum"):
            acc, cum = 0, []
            for _leaf, w, _spec in self._subjects:
                acc += w
                cum.append(acc)
            self._subject_cum = cum
        x = self.rng.random() * self._subject_cum[-1]
        return self._subjects[bisect.bisect_right(self._subject_cum, x)]

    def address(self, township: str, slots: _Slots) -> str:
        rng = self.rng
        if township.endswith("街道") or rng.random() < 0.25:
            if rng.random() < 0.6:
                return f"{slots['community']}{rng.randint(1, 32)}栋{rng.randint(1, 4)}单元{rng.randint(1, 28)}0{rng.randint(1, 4)}室"
            return f"{slots['road']}{rng.randint(1, 400)}号"
        return f"{slots['village']}村{rng.randint(1, 12)}组"

    def partition_days(self, total: int) -> list[tuple[date, int]]:
        return self.partition_days_of(total, *self.partition)

    def partition_days_of(self, total: int, k: int, parts: int) -> list[tuple[date, int]]:
        """Partition k's share of the year: consecutive days holding ~total/parts tickets."""
        counts = self.day_counts(total)
        if parts == 1:
            return counts
        out, before = [], 0
        for day, n in counts:
            if k * total <= before * parts < (k + 1) * total:
                out.append((day, n))
            before += n
        return out

    def batches(self, total: int, batch_size: int) -> Iterator[_Rows]:
        rows = _Rows()
        for day, n in self.partition_days(total):
            key = day.strftime("%Y%m%d")
            for at in self.times_of(day, n):
                self.ticket(at, key, rows)
                if len(rows.ticket) >= batch_size:
                    yield rows
                    rows = _Rows()
        if rows.ticket:
            yield rows


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

_TABLES = {
    "ticket": m.Ticket.__table__, "assignment": m.Assignment.__table__,
    "timeline": m.TimelineRow.__table__, "outbox": m.OutboxRow.__table__,
    "supervision": m.Supervision.__table__,
}


def _sqlite_datetime(value: datetime) -> str:
    """What ``UtcDateTime`` stores on SQLite: UTC wall time, always with microseconds."""
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")


class _Writer:
    """Bulk insertion: driver-level executemany on SQLite, COPY on PostgreSQL.

    Rows become tuples in column order with ``operator.itemgetter``; only the columns whose type
    needs it are converted (SQLite: timestamps in the exact text form SQLAlchemy writes, dates,
    booleans, JSON; PostgreSQL: JSON — psycopg adapts the rest).
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.pg = engine.dialect.name == "postgresql"
        self.columns: dict[str, list[str]] = {}
        self.getters: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {}
        self.converters: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}
        for name, table in _TABLES.items():
            cols = [c.name for c in table.columns]
            self.columns[name] = cols
            self.getters[name] = operator.itemgetter(*cols)
            conv: list[tuple[int, Callable[[Any], Any]]] = []
            for i, c in enumerate(table.columns):
                if isinstance(c.type, sa.JSON):
                    conv.append((i, _json))
                elif self.pg:
                    continue
                elif isinstance(c.type, UtcDateTime):
                    conv.append((i, _sqlite_datetime))
                elif isinstance(c.type, sa.Date):
                    conv.append((i, date.isoformat))
                elif isinstance(c.type, sa.Boolean):
                    conv.append((i, int))
            self.converters[name] = conv

    def tuples(self, name: str, rows: list[dict[str, Any]]) -> list[Any]:
        getter, conv = self.getters[name], self.converters[name]
        if rows:
            # columns the simulation does not know (added to the schema later) get their default
            missing = {c.name: _column_default(c) for c in _TABLES[name].columns if c.name not in rows[0]}
            if missing:
                for r in rows:
                    r.update(missing)
        out = []
        for r in rows:
            row = list(getter(r))
            for i, fn in conv:
                v = row[i]
                if v is not None:
                    row[i] = fn(v)
            out.append(row)
        return out

    def write(self, dbapi: Any, rows: _Rows) -> int:
        """Insert one batch and commit; returns the number of token rows."""
        cur = dbapi.cursor()
        tokens = 0
        if self.pg:
            for name in ("ticket", "assignment", "timeline", "outbox", "supervision"):
                data = getattr(rows, name)
                if data:
                    with cur.copy(f"COPY {name} ({', '.join(self.columns[name])}) FROM STDIN") as cp:
                        for t in self.tuples(name, data):
                            cp.write_row(t)
            parts: list[str] = []
            for tid, at, toks in rows.tokens:
                suffix = f"\t{at.astimezone(timezone.utc).isoformat()}\t{tid}\n"
                # tokens are runs of word characters (hotline_desk.text): nothing to escape
                parts.append(suffix.join(toks) + suffix)
                tokens += len(toks)
            with cur.copy("COPY ticket_token (token, registered_at, ticket_id) FROM STDIN") as cp:
                cp.write("".join(parts))
        else:
            cur.execute("BEGIN IMMEDIATE")
            for name in ("ticket", "assignment", "timeline", "outbox", "supervision"):
                data = getattr(rows, name)
                if data:
                    cols = self.columns[name]
                    cur.executemany(f"INSERT INTO {name} ({', '.join(cols)}) "
                                    f"VALUES ({', '.join('?' * len(cols))})", self.tuples(name, data))
            token_rows: list[tuple[str, str, int]] = []
            for tid, at, toks in rows.tokens:
                stamp = _sqlite_datetime(at)
                token_rows.extend([(tok, stamp, tid) for tok in toks])
            tokens = len(token_rows)
            # in key order: each batch appends near the end of every token's range, so the
            # B-tree's pages are touched once per batch instead of at random (a 1 M database
            # no longer fits the page cache)
            token_rows.sort()
            cur.executemany("INSERT INTO ticket_token (token, registered_at, ticket_id) VALUES (?, ?, ?)",
                            token_rows)
        dbapi.commit()
        cur.close()
        return tokens


def _column_default(column: sa.Column[Any]) -> Any:
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    return None


_json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _first_ids(conn: sa.Connection) -> dict[str, int]:
    out = {}
    for name, table in _TABLES.items():
        out[name] = (conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1
    return out


def _load_calendar_and_policy(conn: sa.Connection) -> tuple[WorkCalendar, DeadlinePolicy]:
    from dataclasses import fields

    days = {r.day: r.is_workday for r in conn.execute(sa.select(m.Holiday.day, m.Holiday.is_workday))}
    years = list(conn.execute(sa.select(m.CalendarYear.year)).scalars())
    known = {f.name for f in fields(DeadlinePolicy)}
    settings = {r.key: r.value for r in conn.execute(sa.select(m.PolicySetting.key, m.PolicySetting.value))
                if r.key in known}
    return WorkCalendar(days, complete_years=years), DeadlinePolicy(**settings)


def generate(engine: sa.Engine, tickets: int, *, seed: int = 1, now: datetime | None = None,
             days: int = 365, batch_size: int = 20_000, workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> SynthReport:
    """Add ``tickets`` synthetic tickets registered over the ``days`` before ``now``.

    The database must hold the reference data (taxonomy, districts, units, staff). Numbers
    continue each day's counter, ids continue the tables' sequences, so desks can keep
    registering afterwards. ``now`` defaults to the current time; pass it for reproducible data
    (the same seed, volume, ``now`` and ``workers`` give the same tickets).

    ``workers`` > 1 splits the year into consecutive periods generated by as many processes at
    once (each period has its own repeat callers); rows are written by every process.
    """
    if tickets < 0:
        raise DeskError("工单数量不能为负数", "tickets must be >= 0")
    if workers < 1:
        raise DeskError("进程数至少为 1", "workers must be >= 1")
    started = time.perf_counter()
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise DeskError("生成时间须带时区", "now must be timezone-aware")
    with engine.connect() as conn:
        ref = _Reference(conn)
        cal, policy = _load_calendar_and_policy(conn)
        first_ids = _first_ids(conn)
        counters = {r.day: r.last for r in conn.execute(sa.select(m.TicketCounter.day, m.TicketCounter.last))}
    before = dict(counters)
    plan = _Generator(ref, cal, policy, now, days, seed, first_ids, dict(counters))
    pg = engine.dialect.name == "postgresql"
    deferred: list[tuple[str, str]] = []
    if pg and tickets >= 100_000:
        raw = engine.raw_connection()
        try:
            deferred = _pg_drop_token_constraints(raw.driver_connection.cursor())
            raw.driver_connection.commit()
        finally:
            raw.close()
    job = _Job(engine.url.render_as_string(hide_password=False), tickets, seed, now, days,
               batch_size, first_ids, counters)
    if workers == 1:
        report = _run_partition(job, 0, 1, progress, engine)
    else:
        report = _run_partitions(job, workers, plan, progress, engine)
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        if pg:
            _pg_restore_constraints(cur, deferred)
            for table in _TABLES.values():
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table.name}), 1))")
        raw.driver_connection.commit()
    finally:
        raw.close()
    final = dict(before)
    for day, n in plan.day_counts(tickets):
        if n:
            key = day.strftime("%Y%m%d")
            final[key] = final.get(key, 0) + n
    with engine.begin() as conn:
        for day, last in final.items():
            if before.get(day) == last:
                continue
            if day in before:
                conn.execute(sa.update(m.TicketCounter).where(m.TicketCounter.day == day).values(last=last))
            else:
                conn.execute(sa.insert(m.TicketCounter).values(day=day, last=last))
        # the dispatch suggestions' counts: the rows above bypassed the dispatch service
        rebuild_unit_subject_stats(conn)
    _vacuum_analyze(engine)
    report.seconds = time.perf_counter() - started
    return report


def _vacuum_analyze(engine: sa.Engine) -> None:
    """Statistics for the planner and, on PostgreSQL, the visibility map: freshly copied rows are
    not all-visible until a VACUUM, so every index-only step of a newest-first search would fetch
    its heap page (autovacuum's insert trigger may be hours away). VACUUM cannot run inside a
    transaction block: an autocommit connection."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM (ANALYZE)"))
        else:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()


@dataclass(frozen=True)
class _Job:
    """What every partition needs (picklable: partitions may run in other processes)."""

    url: str
    tickets: int
    seed: int
    now: datetime
    days: int
    batch_size: int
    first_ids: dict[str, int]
    counters: dict[str, int]


#: Room for each partition's rows of a table, per ticket of the partition (ids are explicit).
_ID_ROOM = {"ticket": 1, "timeline": 40, "assignment": 12, "outbox": 8, "supervision": 6}


def _partition_ids(job: _Job, plan: "_Generator", k: int, parts: int) -> dict[str, int]:
    counts = [sum(n for _, n in plan.partition_days_of(job.tickets, i, parts))
              for i in range(parts)]
    ids = {}
    for table, base in job.first_ids.items():
        room = _ID_ROOM[table]
        ids[table] = base + sum(counts[:k]) * room
    return ids


def _run_partitions(job: _Job, parts: int, plan: "_Generator",
                    progress: Callable[[int, int], None] | None, engine: sa.Engine) -> SynthReport:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    engine.dispose()  # no pooled connection crosses a fork
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    report = SynthReport()
    done = 0
    with ProcessPoolExecutor(max_workers=parts, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(_partition_process, job, k, parts, _partition_ids(job, plan, k, parts))
                   for k in range(parts)]
        for f in as_completed(futures):
            part = f.result()
            done += part.tickets
            _merge(report, part)
            if progress:
                progress(done, job.tickets)
    return report


def _merge(into: SynthReport, part: SynthReport) -> None:
    for name in ("tickets", "timeline_rows", "token_rows", "assignments", "outbox_rows",
                 "supervisions", "callers", "overdue"):
        setattr(into, name, getattr(into, name) + getattr(part, name))
    into.statuses.update(part.statuses)
    firsts = [x for x in (into.first_registered, part.first_registered) if x is not None]
    lasts = [x for x in (into.last_registered, part.last_registered) if x is not None]
    into.first_registered = min(firsts) if firsts else None
    into.last_registered = max(lasts) if lasts else None


def _partition_process(job: _Job, k: int, parts: int, first_ids: dict[str, int]) -> SynthReport:
    from hotline_desk.store.db import create_engine

    engine = create_engine(job.url)
    try:
        return _run_partition(job, k, parts, None, engine, first_ids)
    finally:
        engine.dispose()


def _run_partition(job: _Job, k: int, parts: int, progress: Callable[[int, int], None] | None,
                   engine: sa.Engine, first_ids: dict[str, int] | None = None) -> SynthReport:
    with engine.connect() as conn:
        ref = _Reference(conn)
        cal, policy = _load_calendar_and_policy(conn)
    gen = _Generator(ref, cal, policy, job.now, job.days, job.seed, first_ids or job.first_ids,
                     dict(job.counters), partition=(k, parts))
    writer = _Writer(engine)
    today = job.now.astimezone(SHANGHAI).date()
    report = SynthReport()
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        if writer.pg:
            dbapi.cursor().execute("SET synchronous_commit = off")
            dbapi.commit()
        else:
            # generated rows are consistent by construction; key checks would double the load time
            dbapi.execute("PRAGMA foreign_keys = OFF")
            dbapi.execute("PRAGMA cache_size = -500000")
            dbapi.execute("PRAGMA synchronous = OFF")
            dbapi.execute("PRAGMA busy_timeout = 600000")  # other partitions hold the write lock
        _write_all(gen, writer, dbapi, job.tickets, job.batch_size, report, today, progress)
        report.callers = len(gen.callers)
        if not writer.pg:
            dbapi.execute("PRAGMA synchronous = NORMAL")
            dbapi.execute("PRAGMA foreign_keys = ON")
            dbapi.execute("PRAGMA busy_timeout = 30000")
    finally:
        raw.close()
    return report


def _write_all(gen: _Generator, writer: _Writer, dbapi: Any, tickets: int, batch_size: int,
               report: SynthReport, today: date, progress: Callable[[int, int], None] | None) -> None:
    """Generate in this thread, write in another: the database works (sqlite3 and psycopg release
    the GIL while the engine inserts) while the next batch is simulated."""
    pending: queue.Queue[_Rows | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def drain() -> None:
        try:
            while (rows := pending.get()) is not None:
                report.token_rows += writer.write(dbapi, rows)
        except BaseException as e:  # handed to the generating thread below
            failure.append(e)
            while pending.get() is not None:
                pass

    thread = threading.Thread(target=drain, name="synth-writer", daemon=True)
    thread.start()
    done = 0
    try:
        for rows in gen.batches(tickets, batch_size):
            if failure:
                break
            done += len(rows.ticket)
            report.timeline_rows += len(rows.timeline)
            report.assignments += len(rows.assignment)
            report.outbox_rows += len(rows.outbox)
            report.supervisions += len(rows.supervision)
            for t in rows.ticket:
                report.statuses[t["status"]] += 1
                if t["open_due"] is not None and t["open_due"] < today:
                    report.overdue += 1
            if report.first_registered is None and rows.ticket:
                report.first_registered = rows.ticket[0]["registered_at"]
            report.last_registered = rows.ticket[-1]["registered_at"]
            pending.put(rows)
            if progress:
                progress(done, tickets)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        raise failure[0]
    report.tickets = done


def _pg_drop_token_constraints(cur: Any) -> list[tuple[str, str]]:
    """Drop the text index's keys for a bulk load: rebuilding them afterwards is one sort instead
    of a hundred million single-row index insertions and foreign-key checks."""
    cur.execute("SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = 'ticket_token'::regclass")
    found = [(name, definition, kind) for name, definition, kind in cur.fetchall()]
    for name, _definition, _kind in sorted(found, key=lambda x: x[2] != "f"):  # foreign keys first
        cur.execute(f'ALTER TABLE ticket_token DROP CONSTRAINT "{name}"')
    return [(name, definition) for name, definition, kind in sorted(found, key=lambda x: x[2] != "p")]


def _pg_restore_constraints(cur: Any, deferred: list[tuple[str, str]]) -> None:
    """Re-add the dropped keys, primary key first (the foreign key check then uses it)."""
    if not deferred:
        return
    cur.execute("SET maintenance_work_mem = '1GB'")
    for name, definition in deferred:
        cur.execute(f'ALTER TABLE ticket_token ADD CONSTRAINT "{name}" {definition}')


# ---------------------------------------------------------------------------------------------
# hotline-desk generate
# ---------------------------------------------------------------------------------------------


def register_cli(sub: Any) -> None:
    """Adds ``hotline-desk generate`` (registered through ``hotline_desk.cli.EXTENSIONS``)."""
    p = sub.add_parser("generate", help="生成演示/压测用的模拟工单（一年的历史，可达数百万张）")
    p.add_argument("--tickets", type=int, default=10_000, help="工单数量（默认 10000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同种子、数量和时间生成相同数据")
    p.add_argument("--days", type=int, default=365, help="覆盖的天数（默认 365）")
    p.add_argument("--workers", type=int, default=1, help="并行生成的进程数（默认 1）")
    p.add_argument("--now", help="模拟的“当前时间”（ISO 格式，如 2026-11-25T18:00+08:00；默认现在）")
    p.add_argument("--no-seed-demo", action="store_true",
                   help="不自动载入区划、分类、单位和演示账号（数据库中已有基础数据时使用）")
    p.set_defaults(func=_cmd_generate)


def _cmd_generate(core: Any, args: Any) -> int:
    import sys

    now = None
    if args.now:
        now = datetime.fromisoformat(args.now)
        if now.tzinfo is None:
            now = now.replace(tzinfo=SHANGHAI)
    core.upgrade()
    if not args.no_seed_demo:
        core.seed_demo()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 5 or done == total:
            last[0] = time.monotonic()
            print(f"  {done}/{total}", file=sys.stderr, flush=True)

    report = generate(core.engine, args.tickets, seed=args.seed, now=now, days=args.days,
                      workers=args.workers, progress=progress)
    core.ctx.invalidate()
    print(report.summary_zh())
    return 0
