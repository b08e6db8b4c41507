"""Finding tickets: caller history for the call pop, search with filters and free Chinese text,
and the overdue / due-soon lists — all keyset-paged so the first page is fast at a million rows.

Free text walks the bigram index (``ticket_token``) newest-first and stops after one page
(../shared/STACK.md: filtering every match and then sorting costs 100× more for common terms).
List rows are plain column selects (``views.SUMMARY_COLUMNS``), not Ticket objects: building ORM
objects was most of the call pop's CPU time. The fixed statements are built once, with bound
parameters. A confidential row seen by a unit liaison costs one extra query for the assignments.
"""
from __future__ import annotations

import base64
import threading
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from hotline_desk.domain import (
    Actor, CallerHistory, Page, Role, Status, TicketQuery, TicketSummary,
)
from hotline_desk.errors import PermissionDenied, ValidationError
from hotline_desk.phone import mask_phone, normalise_phone
from hotline_desk.services import access
from hotline_desk.services.context import ServiceContext
from hotline_desk.services.views import (
    SUMMARY_COLUMNS, DueWindow, due_window, liaison_cleared_ids, summary_from_row,
)
from hotline_desk.store import models as m
from hotline_desk.store.db import HotSelect
from hotline_desk.store.types import SHANGHAI
from hotline_desk.text import contains_all, query_terms, term_bigrams

MAX_PAGE = 500
MAX_OPEN_SHOWN = 10  # a caller's open tickets listed by the call pop (all are counted)
NARROW = 2000       # filters leaving at most this many tickets drive a text search themselves
CHUNK = 2000        # index entries of the driving bigram one round of a text search may read
MAX_QUERY_CHARS = 100
_TOP = "\U0010ffff"


def _encode(a: Any, b: int) -> str:
    raw = f"{a.isoformat()}|{b}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_dt(cursor: str) -> tuple[datetime, int]:
    try:
        a, b = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(a), int(b)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValidationError("翻页位置无效，请重新查询", "bad cursor") from e


def _decode_date(cursor: str) -> tuple[date, int]:
    try:
        a, b = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return date.fromisoformat(a), int(b)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValidationError("翻页位置无效，请重新查询", "bad cursor") from e


# Free text is checked on the row itself (the bigram index can match across field boundaries).
_TEXT_COLUMNS = (m.Ticket.narrative, m.Ticket.address, m.Ticket.township, m.Ticket.people)


def _searchable(row: sa.Row[Any]) -> str:
    return " ".join((row.narrative, row.request, row.address, row.township, row.people))


_T = m.Ticket
# The call pop's statement, built once. One round trip: the caller's newest tickets, then their
# newest open tickets (partial index ix_ticket_phone_open; an open ticket may appear in both
# parts), the repeat count and the count of all open tickets riding along on the first part
# (index-only counts, evaluated once).
_REPEAT = (sa.select(sa.func.count()).select_from(_T)
           .where(_T.caller_phone == sa.bindparam("phone"),
                  _T.registered_at >= sa.bindparam("since", type_=_T.registered_at.type))
           .scalar_subquery())
_OPEN_COUNT = (sa.select(sa.func.count()).select_from(_T)
               .where(_T.caller_phone == sa.bindparam("phone"), m.OPEN_TICKET_WHERE)
               .scalar_subquery())
_NEWEST = (sa.select(*SUMMARY_COLUMNS, sa.literal(0).label("part"), _REPEAT.label("repeat"),
                     _OPEN_COUNT.label("open_count"))
           .where(_T.caller_phone == sa.bindparam("phone"))
           .order_by(_T.registered_at.desc(), _T.id.desc()).limit(sa.bindparam("recent"))
           .subquery())
_OPEN = (sa.select(*SUMMARY_COLUMNS, sa.literal(1).label("part"),
                   sa.cast(sa.null(), sa.Integer).label("repeat"),
                   sa.cast(sa.null(), sa.Integer).label("open_count"))
         .where(_T.caller_phone == sa.bindparam("phone"), m.OPEN_TICKET_WHERE)
         .order_by(_T.registered_at.desc(), _T.id.desc()).limit(MAX_OPEN_SHOWN)
         .subquery())
_HISTORY = HotSelect(sa.union_all(sa.select(_NEWEST), sa.select(_OPEN)))
_PART, _REPEAT_AT, _OPEN_COUNT_AT = len(SUMMARY_COLUMNS), len(SUMMARY_COLUMNS) + 1, len(SUMMARY_COLUMNS) + 2


def _own_unit_only(actor: Actor) -> bool:
    """Hotline roles see every ticket (confidential ones as a stub row): False. A unit liaison
    sees only the tickets their unit is handling: True. Anyone else may not list tickets."""
    if actor.roles & access.VIEW_ALL:
        return False
    if Role.UNIT_LIAISON in actor.roles and actor.unit_id is not None:
        return True
    raise PermissionDenied("您没有权限查询工单", "not allowed to search tickets")


def _handled_by(unit: Any) -> Any:
    """The ticket is assigned to ``unit`` (an id or a bound parameter), the assignment active."""
    a = aliased(m.Assignment)
    return sa.exists().where(a.ticket_id == m.Ticket.id, a.unit_id == unit, a.active.is_(True))


_OPEN_DUE_AT = len(SUMMARY_COLUMNS)
_REGISTERED_AT = [c.key for c in SUMMARY_COLUMNS].index("registered_at")
#: browse statements kept (``SearchService._browse``): a few desks' worth of recent queries
BROWSE_SELECTS = 64
_OVERDUE_SELECTS: dict[tuple[bool, bool, bool, bool], HotSelect] = {}


def _overdue_select(due_soon: bool, by_unit: bool, liaison: bool, paged: bool) -> HotSelect:
    """The overdue (or due-soon) page's statement for one shape of request, built once: dates,
    units and the page cursor are bound values (``today``, ``soon_until``, ``unit``, ``own_unit``,
    ``after_due``/``after_id``, ``n``). Building the statement was half the page's CPU time."""
    key = (due_soon, by_unit, liaison, paged)
    hot = _OVERDUE_SELECTS.get(key)
    if hot is not None:
        return hot
    T = m.Ticket
    stmt = sa.select(*SUMMARY_COLUMNS, T.open_due)
    if due_soon:
        stmt = stmt.where(T.open_due >= sa.bindparam("today", type_=sa.Date()),
                          T.open_due <= sa.bindparam("soon_until", type_=sa.Date()))
    else:
        stmt = stmt.where(T.open_due < sa.bindparam("today", type_=sa.Date()))
    for flag, name in ((liaison, "own_unit"), (by_unit, "unit")):
        if flag:  # a liaison sees their unit's tickets; ``unit`` narrows to one unit
            stmt = stmt.where(_handled_by(sa.bindparam(name)))
    if paged:
        stmt = stmt.where(sa.tuple_(T.open_due, T.id) > sa.tuple_(
            sa.bindparam("after_due", type_=sa.Date()), sa.bindparam("after_id", type_=sa.Integer())))
    hot = HotSelect(stmt.order_by(T.open_due, T.id).limit(sa.bindparam("n")))
    _OVERDUE_SELECTS[key] = hot
    return hot


def _registered_range(column: Any, query: TicketQuery) -> list[Any]:
    """The query's registration dates (Shanghai days, both ends included) as conditions on
    ``column``: the ticket's own, or a token index entry's (which bounds the index walk)."""
    conds = []
    if query.registered_from is not None:
        conds.append(column >= datetime.combine(query.registered_from, time.min, SHANGHAI))
    if query.registered_to is not None:
        conds.append(column < datetime.combine(query.registered_to + timedelta(days=1), time.min,
                                               SHANGHAI))
    return conds


class SearchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        #: (query, liaison's unit, due window, paged) → its statement, least recently used first
        self._browse_selects: dict[tuple[Any, ...], HotSelect] = {}
        self._browse_lock = threading.Lock()  # pages are fetched on several worker threads

    # ------------------------------------------------------------------ the call pop
    def caller_history(self, actor: Actor, phone: str, limit: int = 10) -> CallerHistory:
        """Earlier tickets of a number however the PBX formatted it, its open tickets and the
        repeat-caller count (tickets in the policy's window)."""
        access.require(actor, access.VIEW_ALL, "查看来电人历史")
        number = normalise_phone(phone)
        ctx = self._ctx
        policy = ctx.policy()
        since = ctx.now() - timedelta(days=policy.repeat_window_days)
        window = due_window(ctx)
        lk = ctx.lookups()
        personal = access.sees_personal_data(actor)
        limit = max(1, min(limit, MAX_PAGE))
        with ctx.uow.reader() as conn:
            rows = _HISTORY.rows(conn, {"phone": number, "since": since, "recent": limit})
            recent = [r for r in rows if r[_PART] == 0]
            open_rows = [r for r in rows if r[_PART] == 1]
            repeat = recent[0][_REPEAT_AT] if recent else 0
            open_count = recent[0][_OPEN_COUNT_AT] if recent else 0
            cleared = liaison_cleared_ids(conn, actor, rows)
        tickets = tuple(summary_from_row(lk, actor, r, window, personal, cleared) for r in recent)
        open_t = tuple(summary_from_row(lk, actor, r, window, personal, cleared)
                       for r in open_rows)
        return CallerHistory(phone=number if personal else mask_phone(number), tickets=tickets,
                             open_tickets=open_t, open_count=open_count, repeat_count=repeat,
                             is_repeat_caller=repeat >= policy.repeat_threshold)

    # ------------------------------------------------------------------ search
    def find(self, actor: Actor, query: TicketQuery, page_size: int = 50,
             cursor: str | None = None) -> Page[TicketSummary]:
        """Tickets matching every filter of ``query``, newest first, one page at a time
        (``next_cursor`` fetches the next page)."""
        page_size = max(1, min(page_size, MAX_PAGE))
        if len(query.text) > MAX_QUERY_CHARS:
            raise ValidationError(field_errors={"text": f"检索词过长，最多{MAX_QUERY_CHARS}字"})
        ctx = self._ctx
        window = due_window(ctx)
        terms = query_terms(query.text)
        if not terms and query.subject_id is None:
            return self._browse(actor, query, window, page_size, cursor)
        long_terms = [t for t in terms if len(t) >= 2]
        key_ts: Any
        key_id: Any
        # reads only, each statement on its own (a narrow-plan count, the chunk bounds, the
        # rounds of the walk): the bare connection, in autocommit on PostgreSQL — no ORM session,
        # no BEGIN / ROLLBACK round trips around a page
        with ctx.uow.reader() as s:
            stmt = sa.select(*SUMMARY_COLUMNS, *(_TEXT_COLUMNS if terms else ()))
            bigrams = list(dict.fromkeys(bg for term in long_terms for bg in term_bigrams(term)))
            # the filters' conditions, built once (a subject filter reads the subject tree)
            conds = self._conditions(actor, query, window)
            narrow = bool(long_terms) and self._narrow(s, query, conds)
            if narrow:
                # Few tickets pass the filters (a rare status, one caller): start from them and
                # look each one's bigrams up, instead of walking a common word's whole index
                # for the few that also pass (common word + 退单: 0.3–1.2 s → a few ms, 1M).
                for bg in bigrams:
                    tok = aliased(m.TicketToken)
                    stmt = stmt.where(sa.exists().where(
                        tok.token == bg, tok.registered_at == m.Ticket.registered_at,
                        tok.ticket_id == m.Ticket.id))
                key_ts, key_id = m.Ticket.registered_at, m.Ticket.id
            elif long_terms:
                driver = aliased(m.TicketToken, name="drv")
                stmt = stmt.join(driver, driver.ticket_id == m.Ticket.id).where(
                    driver.token == bigrams[0])
                for bg in bigrams[1:]:
                    other = aliased(m.TicketToken)
                    stmt = stmt.where(sa.exists().where(
                        other.token == bg, other.registered_at == driver.registered_at,
                        other.ticket_id == driver.ticket_id))
                key_ts, key_id = driver.registered_at, driver.ticket_id
                # A date range also bounds the walk of the index (token, registered_at, id):
                # filtering only the joined ticket walks every newer match first (2.4 s → 0.5 ms
                # for a month a year ago, 1M tickets, PostgreSQL).
                stmt = stmt.where(*_registered_range(driver.registered_at, query))
            else:
                key_ts, key_id = m.Ticket.registered_at, m.Ticket.id
            for term in terms:
                if len(term) == 1:
                    # One character: every occurrence is a token starting with it (bigram or
                    # the last character of a run).
                    stmt = stmt.where(m.Ticket.id.in_(
                        sa.select(m.TicketToken.ticket_id).where(
                            m.TicketToken.token >= term, m.TicketToken.token < term + _TOP)))
            stmt = stmt.where(*conds)
            # Narrow: sort the few tickets rather than walk the date index past a million rows
            # checking each (SQLite picks the index that gives the order; an expression has none).
            order_ts = sa.func.coalesce(key_ts, key_ts) if narrow else key_ts
            stmt = stmt.order_by(order_ts.desc(), key_id.desc())
            chunk = None
            if long_terms and not narrow:
                chunk = self._chunk_bound(s, bigrams[0], query)
            return self._walk(s, actor, stmt, key_ts, key_id, cursor, page_size, window, terms,
                              chunk)

    def _browse(self, actor: Actor, query: TicketQuery, window: DueWindow, page_size: int,
                cursor: str | None) -> Page[TicketSummary]:
        """A page of a query without search words (the ticket list as it opens, or filtered by
        status, unit, district, dates, deadline): one keyset statement per query, built and
        compiled once (``HotSelect``; the cursor and the page size are bound values).

        Why: the ticket list fetches a page on a worker thread every ~16 rows while it scrolls,
        and the worker's Python holds the GIL the GUI thread paints with; building the
        statement and SQLAlchemy's result set-up were ~2 of its ~5.5 ms a page. (A subject
        filter reads the subject tree, which may change: it takes the general path.)"""
        own_unit = actor.unit_id if _own_unit_only(actor) else None
        key = (query, own_unit, window, cursor is not None)
        with self._browse_lock:
            hot = self._browse_selects.pop(key, None)
        if hot is None:
            T = m.Ticket
            stmt = sa.select(*SUMMARY_COLUMNS).where(*self._conditions(actor, query, window))
            if cursor is not None:
                stmt = stmt.where(sa.tuple_(T.registered_at, T.id) < sa.tuple_(
                    sa.bindparam("after_at", type_=T.registered_at.type),
                    sa.bindparam("after_id", type_=sa.Integer())))
            hot = HotSelect(stmt.order_by(T.registered_at.desc(), T.id.desc()).limit(sa.bindparam("n")))
        with self._browse_lock:
            while len(self._browse_selects) >= BROWSE_SELECTS:
                del self._browse_selects[next(iter(self._browse_selects))]  # the least recently used
            self._browse_selects[key] = hot
        params: dict[str, Any] = {"n": page_size + 1}
        if cursor is not None:
            params["after_at"], params["after_id"] = _decode_dt(cursor)
        items, summaries, more = self._hot_page(actor, hot, params, window, page_size)
        nxt = _encode(items[-1][_REGISTERED_AT], items[-1][0]) if more else None
        return Page(summaries, nxt)

    def _hot_page(self, actor: Actor, hot: HotSelect, params: dict[str, Any], window: DueWindow,
                  page_size: int) -> tuple[list[Any], list[TicketSummary], bool]:
        """A page from a prebuilt statement asked for ``page_size + 1`` rows, on the bare
        connection (one statement: no transaction round trips around it): the page's rows, their
        summaries as ``actor`` may see them, and whether more rows follow."""
        lk = self._ctx.lookups()
        personal = access.sees_personal_data(actor)
        with self._ctx.uow.reader() as conn:
            rows = hot.rows(conn, params)
            items = rows[:page_size]
            cleared = liaison_cleared_ids(conn, actor, items)
        summaries = [summary_from_row(lk, actor, r, window, personal, cleared) for r in items]
        return items, summaries, len(rows) > page_size

    @staticmethod
    def _narrow(s: sa.Connection, query: TicketQuery, conds: list[Any]) -> bool:
        """Whether the filters alone leave at most NARROW tickets. Asked only for filters that
        can be that selective (statuses other than 已办结, a phone number, a ticket number);
        the count stops reading at NARROW + 1."""
        selective = bool(query.phone.strip() or query.number.strip()) or (
            bool(query.statuses) and Status.CLOSED not in {Status(x) for x in query.statuses})
        if not selective:
            return False
        ids = sa.select(m.Ticket.id).where(*conds).limit(NARROW + 1)
        return s.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) <= NARROW

    @staticmethod
    def _chunk_bound(s: sa.Connection, token: str, query: TicketQuery) -> Any:
        """Where the next CHUNK index entries of the driving bigram end, as a literal bound.

        Why: PostgreSQL estimates a second bigram's EXISTS (or a selective filter) to leave ~1
        row, so it reads *every* match of the first bigram and sorts them (停水 小区 on 1M
        tickets: 50,000 rows, ~400 ms) instead of walking the index newest-first. A literal
        lower bound caps each round (CHUNK entries, ×4 each further round) whatever plan it picks
        (~4 ms)."""
        tt = m.TicketToken

        def bound(position: tuple[datetime, int] | None, size: int) -> tuple[datetime, int] | None:
            q = sa.select(tt.registered_at, tt.ticket_id).where(tt.token == token)
            if position is not None:
                q = q.where(sa.tuple_(tt.registered_at, tt.ticket_id) < sa.tuple_(
                    sa.literal(position[0], tt.registered_at.type), position[1]))
            q = q.where(*_registered_range(tt.registered_at, query))
            row = s.execute(q.order_by(tt.registered_at.desc(), tt.ticket_id.desc())
                            .offset(size).limit(1)).first()
            return (row[0], row[1]) if row is not None else None

        return bound

    def _walk(self, s: sa.Connection, actor: Actor, stmt: sa.Select, key_ts: Any, key_id: Any,
              cursor: str | None, page_size: int, window: DueWindow,
              terms: list[str], chunk: Any = None) -> Page[TicketSummary]:
        lk = self._ctx.lookups()
        personal = access.sees_personal_data(actor)
        found: list[sa.Row[Any]] = []
        position = _decode_dt(cursor) if cursor else None
        exhausted = False
        rounds = 0
        while len(found) <= page_size and not exhausted:
            q = stmt
            if position is not None:
                q = q.where(sa.tuple_(key_ts, key_id) < sa.tuple_(
                    sa.literal(position[0], m.TicketToken.registered_at.type), position[1]))
            # rounds grow ×4 so a rare match behind a common term takes few statements
            lower = chunk(position, CHUNK * 4 ** rounds) if chunk is not None else None
            rounds += 1
            if lower is not None:
                q = q.where(sa.tuple_(key_ts, key_id) >= sa.tuple_(
                    sa.literal(lower[0], m.TicketToken.registered_at.type), lower[1]))
            batch = s.execute(q.limit(page_size + 1)).unique().all()
            short = len(batch) <= page_size
            for t in batch:
                position = (t.registered_at, t.id)
                if not terms or contains_all(_searchable(t), terms):
                    found.append(t)
                    if len(found) > page_size:
                        break
            if short:
                if lower is None:
                    exhausted = True
                elif len(found) <= page_size:
                    position = lower  # this chunk is done: go on below it
        more = len(found) > page_size
        items = found[:page_size]
        nxt = _encode(items[-1].registered_at, items[-1].id) if more and items else None
        cleared = liaison_cleared_ids(s, actor, items)
        return Page([summary_from_row(lk, actor, r, window, personal, cleared) for r in items], nxt)

    def _conditions(self, actor: Actor, query: TicketQuery, window: DueWindow) -> list[Any]:
        """The WHERE conditions on ``ticket`` of the query's filters and of what the actor may
        see (a unit liaison: the tickets their unit is handling)."""
        T = m.Ticket
        conds: list[Any] = []
        if _own_unit_only(actor):
            conds.append(_handled_by(actor.unit_id))
        if query.number.strip():
            conds.append(T.number == query.number.strip().upper())
        if query.phone.strip():
            conds.append(T.caller_phone == normalise_phone(query.phone))
        if query.statuses:
            values = sorted(Status(x).value for x in query.statuses)
            # equalities, not IN: an IN list is an "expanding" parameter, rendered per execution,
            # which a statement compiled once (``_browse``'s HotSelect) cannot take
            conds.append(sa.or_(*(T.status == v for v in values)))
        if query.unit_id is not None:
            conds.append(_handled_by(query.unit_id))
        if query.category is not None:
            conds.append(T.category == query.category.value)
        if query.subject_id is not None:
            conds.append(T.subject_id.in_(self._subtree(query.subject_id)))
        if query.district_code:
            conds.append(T.district_code == query.district_code)
        conds.extend(_registered_range(T.registered_at, query))
        if query.overdue or query.due_soon:
            # redundant with the comparisons below, but it tells SQLite's planner that the
            # open_due index leaves only open tickets: its statistics count the closed ones'
            # NULLs as one huge value, so it walked every open ticket by status instead and sorted
            # them (overdue + open statuses, 1M tickets: 250 → ~20 ms a page)
            conds.append(T.open_due.is_not(None))
        if query.overdue and query.due_soon:
            conds.append(T.open_due <= window.soon_until)
        elif query.overdue:
            conds.append(T.open_due < window.today)
        elif query.due_soon:
            conds.extend((T.open_due >= window.today, T.open_due <= window.soon_until))
        return conds

    def _subtree(self, subject_id: int) -> list[int]:
        with self._ctx.uow.session() as s:
            rows = s.execute(sa.select(m.Subject.id, m.Subject.parent_id)).all()
        children: dict[int | None, list[int]] = {}
        for sid, parent in rows:
            children.setdefault(parent, []).append(sid)
        out, stack = [], [subject_id]
        while stack:
            sid = stack.pop()
            out.append(sid)
            stack.extend(children.get(sid, []))
        return out

    # ------------------------------------------------------------------ deadlines
    def overdue(self, actor: Actor, page_size: int = 50, cursor: str | None = None,
                unit_id: int | None = None, due_soon: bool = False) -> Page[TicketSummary]:
        """Tickets a unit has past their deadline (or, with ``due_soon``, due within the
        policy's window), most urgent first."""
        page_size = max(1, min(page_size, MAX_PAGE))
        window = due_window(self._ctx)
        liaison = _own_unit_only(actor)
        params: dict[str, Any] = {"today": window.today, "n": page_size + 1}
        if due_soon:
            params["soon_until"] = window.soon_until
        if liaison:
            params["own_unit"] = actor.unit_id
        if unit_id is not None:
            params["unit"] = unit_id
        if cursor:
            params["after_due"], params["after_id"] = _decode_date(cursor)
        hot = _overdue_select(due_soon, unit_id is not None, liaison, bool(cursor))
        items, summaries, more = self._hot_page(actor, hot, params, window, page_size)
        nxt = None
        if more and items[-1][_OPEN_DUE_AT] is not None:
            nxt = _encode(items[-1][_OPEN_DUE_AT], items[-1][0])
        return Page(summaries, nxt)

    # ------------------------------------------------------------------ export
    def export(self, actor: Actor, query: TicketQuery, max_rows: int = 100_000) -> list[TicketSummary]:
        """All rows of a query for an export file; the export is written to the audit log."""
        access.require(actor, access.EXPORT, "导出工单")
        rows: list[TicketSummary] = []
        cursor = None
        while len(rows) < max_rows:
            page = self.find(actor, query, page_size=MAX_PAGE, cursor=cursor)
            rows.extend(page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        rows = rows[:max_rows]
        with self._ctx.uow.session(write=True) as s:
            access.audit(s, actor, "export", None, self._ctx.now(), rows=len(rows),
                         text=query.text, statuses=sorted(str(x) for x in query.statuses),
                         confidential=sum(1 for r in rows if r.confidential))
            s.commit()
        return rows
