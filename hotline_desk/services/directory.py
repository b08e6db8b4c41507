"""Reference data: the units directory (承办单位), the subject taxonomy (诉求分类), districts
and townships, and the not-in-scope reasons — with pickers that match characters and pinyin
initials (``zjj`` finds 住建局)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from hotline_desk.domain import (
    Actor, District, NotInScopeReason, SubjectNode, UnitInfo,
)
from hotline_desk.errors import NotFound, ValidationError
from hotline_desk.services import access
from hotline_desk.services.context import ServiceContext
from hotline_desk.store import models as m
from hotline_desk.text import matches_name, pinyin_initials

PATH_SEP = " › "


def _unit_info(u: m.Unit) -> UnitInfo:
    return UnitInfo(u.id, u.name, u.parent_id, u.district_code, u.contact_person, u.phone,
                    u.backup_phone, u.active, u.initials, u.short_name)


class UnitService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list(self, active_only: bool = True) -> list[UnitInfo]:
        with self._ctx.uow.session() as s:
            q = sa.select(m.Unit).order_by(m.Unit.district_code, m.Unit.name)
            if active_only:
                q = q.where(m.Unit.active.is_(True))
            return [_unit_info(u) for u in s.scalars(q)]

    def get(self, unit_id: int) -> UnitInfo:
        with self._ctx.uow.session() as s:
            u = s.get(m.Unit, unit_id)
            if u is None:
                raise NotFound(f"承办单位不存在（编号{unit_id}）", f"no unit {unit_id}")
            return _unit_info(u)

    def search(self, text: str, limit: int = 20) -> list[UnitInfo]:
        """Active units whose name contains ``text`` or whose pinyin initials contain it."""
        return [u for u in self.list()
                if matches_name(text, u.name, u.initials) or
                (u.short_name and matches_name(text, u.short_name, u.initials))][:limit]

    def suggest(self, subject_id: int, district_code: str, limit: int = 5) -> list[UnitInfo]:
        """Units that handled this subject in this district most often (then anywhere, then the
        directory's usual units), so the dispatcher's usual choice is first. Each carries
        ``handled_count``: tickets of this subject in this district it handled as lead unit
        (a ticket dispatched to it twice counts once).

        Read from ``unit_subject_stat`` (a few rows per subject and district), not counted over
        the assignments: the dispatch panel asks on every subject/district change."""
        S = m.UnitSubjectStat
        with self._ctx.uow.session() as s:
            def ranked(count: Any, where: Iterable[Any]) -> dict[int, int]:
                n = count.label("n")
                q = (sa.select(S.unit_id, n).join(m.Unit, m.Unit.id == S.unit_id)
                     .where(S.subject_id == subject_id, m.Unit.active.is_(True), *where)
                     .group_by(S.unit_id).order_by(sa.desc(n), S.unit_id).limit(limit))
                return {r.unit_id: r.n for r in s.execute(q)}

            # Fewer than ``limit`` here means every unit with a ticket here is in it; a full list
            # leaves no room for others. Either way a unit not in it handled none here.
            here = ranked(sa.func.max(S.handled), [S.district_code == district_code])
            ids = list(here)

            def fill(more: Iterable[int]) -> None:
                ids.extend([u for u in dict.fromkeys(more) if u not in ids][:limit - len(ids)])

            if len(ids) < limit:  # city-wide: the same rows summed over the districts
                fill(ranked(sa.func.sum(S.handled), []))
            if len(ids) < limit:  # still room: the units the directory lists for the subject
                fill(self._usual(s, subject_id, district_code))
            units = {u.id: u for u in s.scalars(sa.select(m.Unit).where(m.Unit.id.in_(ids)))}
            return [replace(_unit_info(units[i]), handled_count=here.get(i, 0))
                    for i in ids if i in units]

    @staticmethod
    def _usual(s: Session, subject_id: int, district_code: str) -> list[int]:
        """Units whose directory entry lists this subject or one of its ancestors, the
        district's own units first (a fresh database has no history to rank by)."""
        chain: list[int] = []
        sid: int | None = subject_id
        while sid is not None and sid not in chain:
            chain.append(sid)
            sid = s.scalar(sa.select(m.Subject.parent_id).where(m.Subject.id == sid))
        rows = s.execute(sa.select(m.Unit.id, m.Unit.district_code).join(
            m.UnitSubject, m.UnitSubject.unit_id == m.Unit.id).where(
            m.UnitSubject.subject_id.in_(chain), m.Unit.active.is_(True))
            .order_by(m.Unit.id)).all()
        ordered = sorted(dict.fromkeys((r.id, r.district_code) for r in rows),
                         key=lambda r: r[1] != district_code)
        return list(dict.fromkeys(r[0] for r in ordered))

    def save(self, actor: Actor, *, code: str, name: str, district_code: str = "",
             contact_person: str = "", phone: str = "", backup_phone: str = "",
             parent_code: str | None = None, active: bool = True) -> UnitInfo:
        """Create or update a unit by its code (admin)."""
        access.require(actor, access.ADMIN, "维护单位名录")
        with self._ctx.uow.session(write=True) as s:
            u = upsert_unit(s, code=code, name=name, district_code=district_code,
                            contact_person=contact_person, phone=phone,
                            backup_phone=backup_phone, parent_code=parent_code, active=active)
            s.commit()
            info = _unit_info(u)
        self._ctx.invalidate()
        return info

    def load(self, actor: Actor, rows: Iterable[Mapping[str, Any]]) -> int:
        """Load a units directory (rows as in resources/units.json); returns how many."""
        access.require(actor, access.ADMIN, "导入单位名录")
        with self._ctx.uow.session(write=True) as s:
            n = load_units(s, rows)
            s.commit()
        self._ctx.invalidate()
        return n


def count_lead(s: Session, subject_id: int, district_code: str, unit_id: int) -> None:
    """A unit became a ticket's lead for the first time: one more ticket of this subject in this
    district it handled (``UnitService.suggest``). Inside the dispatch's transaction; desks
    dispatching at once queue on the one counter row, never lose an increment."""
    dialect = s.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(m.UnitSubjectStat).values(subject_id=subject_id, district_code=district_code,
                                            unit_id=unit_id, handled=1)
    s.execute(stmt.on_conflict_do_update(
        index_elements=["subject_id", "district_code", "unit_id"],
        set_={"handled": m.UnitSubjectStat.__table__.c.handled + 1}))


def rebuild_unit_subject_stats(conn: sa.Connection) -> None:
    """Recount ``unit_subject_stat`` from the assignments (after rows were written in bulk,
    bypassing the dispatch service): per unit, the distinct tickets of each subject and
    district it led."""
    S, A, T = m.UnitSubjectStat.__table__, m.Assignment.__table__, m.Ticket.__table__
    conn.execute(sa.delete(S))
    counted = (sa.select(T.c.subject_id, T.c.district_code, A.c.unit_id,
                         sa.func.count(sa.distinct(A.c.ticket_id)))
               .select_from(A.join(T, T.c.id == A.c.ticket_id))
               .where(A.c.role == "lead")
               .group_by(T.c.subject_id, T.c.district_code, A.c.unit_id))
    conn.execute(sa.insert(S).from_select(["subject_id", "district_code", "unit_id", "handled"],
                                          counted))


def upsert_unit(s: Session, *, code: str, name: str, district_code: str = "",
                contact_person: str = "", phone: str = "", backup_phone: str = "",
                parent_code: str | None = None, active: bool = True, short_name: str = "",
                subject_codes: Iterable[str] | None = None) -> m.Unit:
    errors = {}
    if not (code or "").strip():
        errors["code"] = "请填写单位编码"
    if not (name or "").strip():
        errors["name"] = "请填写单位名称"
    if len(name or "") > 100:
        errors["name"] = "单位名称过长（最多100字）"
    if errors:
        raise ValidationError(field_errors=errors)
    parent_id = None
    if parent_code:
        parent_id = s.scalar(sa.select(m.Unit.id).where(m.Unit.code == parent_code))
        if parent_id is None:
            raise ValidationError(field_errors={"parent": f"上级单位{parent_code}不存在"})
    u = s.scalar(sa.select(m.Unit).where(m.Unit.code == code))
    if u is None:
        u = m.Unit(code=code)
        s.add(u)
    u.name = name.strip()
    u.district_code = district_code or ""
    u.contact_person = (contact_person or "").strip()
    u.phone = (phone or "").strip()
    u.backup_phone = (backup_phone or "").strip()
    u.parent_id = parent_id
    u.active = active
    u.short_name = (short_name or "").strip()
    u.initials = " ".join(filter(None, (pinyin_initials(u.name), pinyin_initials(u.short_name))))
    s.flush()
    if subject_codes is not None:
        s.execute(sa.delete(m.UnitSubject).where(m.UnitSubject.unit_id == u.id))
        codes = list(subject_codes)
        ids = s.scalars(sa.select(m.Subject.id).where(m.Subject.code.in_(codes))).all() if codes else []
        for sid in ids:
            s.add(m.UnitSubject(unit_id=u.id, subject_id=sid))
        s.flush()
    return u


def _get(row: Mapping[str, Any], *names: str, default: Any = "") -> Any:
    for n in names:
        if n in row and row[n] is not None:
            return row[n]
    return default


def load_units(s: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Rows with code, name, district(_code), contact(_person), phone, backup_phone, parent(_code).
    Parents are loaded before their children whatever the order of the file."""
    pending = list(rows)
    n = 0
    while pending:
        progressed, later = False, []
        known = set(s.scalars(sa.select(m.Unit.code)))
        for row in pending:
            parent = _get(row, "parent_code", "parent", default=None)
            if parent and parent not in known:
                later.append(row)
                continue
            upsert_unit(s, code=str(_get(row, "code", "id")), name=_get(row, "name"),
                        district_code=_get(row, "district_code", "district"),
                        contact_person=_get(row, "contact_person", "contact"),
                        phone=str(_get(row, "phone", "contact_phone")),
                        backup_phone=str(_get(row, "backup_phone")), parent_code=parent,
                        active=bool(_get(row, "active", default=True)),
                        short_name=_get(row, "short_name"),
                        subject_codes=_get(row, "subjects", default=None))
            known.add(str(_get(row, "code", "id")))
            n += 1
            progressed = True
        if not progressed:
            raise ValidationError(f"单位名录中有找不到的上级单位：{later[0]}", "unknown parent unit")
        pending = later
    return n


class TaxonomyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _rows(self) -> list[m.Subject]:
        with self._ctx.uow.session() as s:
            return list(s.scalars(sa.select(m.Subject).where(m.Subject.active.is_(True))
                                  .order_by(m.Subject.sort, m.Subject.id)))

    def tree(self) -> list[SubjectNode]:
        """The active taxonomy as a tree (roots first, children in their sort order)."""
        rows = self._rows()
        children: dict[int | None, list[m.Subject]] = {}
        for r in rows:
            children.setdefault(r.parent_id, []).append(r)

        def build(r: m.Subject) -> SubjectNode:
            return SubjectNode(r.id, r.name, r.path, r.parent_id,
                               tuple(build(c) for c in children.get(r.id, [])), r.initials)

        return [build(r) for r in children.get(None, [])]

    def search(self, text: str, limit: int = 30) -> list[SubjectNode]:
        """Subjects whose name or path contains ``text`` (characters) or whose pinyin initials
        contain it; leaves first (they are what an agent picks)."""
        rows = self._rows()
        parents = {r.parent_id for r in rows}
        hits = [r for r in rows if matches_name(text, r.path, pinyin_initials(r.path))
                or matches_name(text, r.name, r.initials)]
        hits.sort(key=lambda r: (r.id in parents, r.sort, r.id))
        return [SubjectNode(r.id, r.name, r.path, r.parent_id, (), r.initials) for r in hits[:limit]]

    def load(self, actor: Actor, nodes: Iterable[Mapping[str, Any]]) -> int:
        """Load a taxonomy (resources/taxonomy.json shape: nodes with name, code, children)."""
        access.require(actor, access.ADMIN, "导入诉求分类")
        with self._ctx.uow.session(write=True) as s:
            n = load_taxonomy(s, nodes)
            s.commit()
        self._ctx.invalidate()
        return n


def load_taxonomy(s: Session, nodes: Iterable[Mapping[str, Any]], parent: m.Subject | None = None,
                  counter: list[int] | None = None) -> int:
    counter = counter if counter is not None else [0]
    for i, node in enumerate(nodes):
        name = str(_get(node, "name")).strip()
        if not name:
            raise ValidationError("诉求分类缺少名称", "taxonomy node without a name")
        code = str(_get(node, "code", "id", default="")) or \
            ((parent.code + "." if parent else "") + pinyin_initials(name) + str(i))
        row = s.scalar(sa.select(m.Subject).where(m.Subject.code == code))
        if row is None:
            row = m.Subject(code=code)
            s.add(row)
        row.name = name
        row.parent_id = parent.id if parent else None
        row.path = (parent.path + PATH_SEP if parent else "") + name
        row.initials = pinyin_initials(name)
        row.sort = i
        row.active = True
        s.flush()
        counter[0] += 1
        load_taxonomy(s, _get(node, "children", default=[]) or [], row, counter)
    return counter[0]


class ReferenceService:
    """Districts with their townships, and the not-in-scope reasons with the channel to tell."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def districts(self) -> list[District]:
        with self._ctx.uow.session() as s:
            rows = s.scalars(sa.select(m.District).order_by(m.District.sort, m.District.code)).all()
            return [District(d.code, d.name, tuple(t.name for t in d.townships)) for d in rows]

    def townships(self, district_code: str) -> list[str]:
        for d in self.districts():
            if d.code == district_code:
                return list(d.townships)
        raise NotFound(f"县（市、区）不存在：{district_code}", f"no district {district_code}")

    def not_in_scope_reasons(self) -> list[NotInScopeReason]:
        with self._ctx.uow.session() as s:
            rows = s.scalars(sa.select(m.NotInScopeReason).where(m.NotInScopeReason.active.is_(True))
                             .order_by(m.NotInScopeReason.sort, m.NotInScopeReason.code))
            return [NotInScopeReason(r.code, r.label, r.channel_sentence) for r in rows]


def load_districts(s: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    n = 0
    for i, row in enumerate(rows):
        code = str(_get(row, "code"))
        d = s.get(m.District, code) or m.District(code=code)
        d.name = _get(row, "name")
        d.sort = i
        s.add(d)
        s.flush()
        existing = {t.name for t in d.townships}
        for j, tw in enumerate(_get(row, "townships", "children", default=[]) or []):
            name = tw if isinstance(tw, str) else _get(tw, "name")
            if name not in existing:
                s.add(m.Township(district_code=code, name=name, sort=j))
                existing.add(name)
        n += 1
    s.flush()
    return n


def load_not_in_scope(s: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    n = 0
    for i, row in enumerate(rows):
        code = str(_get(row, "code"))
        r = s.get(m.NotInScopeReason, code) or m.NotInScopeReason(code=code)
        r.label = _get(row, "label", "reason", "name")
        r.channel_sentence = _get(row, "channel_sentence", "sentence", "channel")
        r.sort = i
        r.active = True
        s.add(r)
        n += 1
    s.flush()
    return n
