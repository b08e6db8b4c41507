"""Search and caller history through the services: free Chinese text (two-character terms
first of all), every filter, keyset paging, overdue / due soon."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from core_support import intake, register_and_dispatch

from hotline_desk.domain import (
    Category, DispatchMode, DispatchOrder, ReplyMethod, Status, TicketQuery,
)
from hotline_desk.errors import ValidationError
from hotline_desk.services import search


def _numbers(page):
    return [t.number for t in page.items]


@pytest.fixture
def corpus(core, staff, clock):
    """Six tickets over three days with known texts; returns number by label."""
    t = core.tickets
    made = {}
    texts = {
        "noise": ("小区楼下餐馆夜间噪音扰民", "请处理噪音", "13907031234"),
        "water": ("停水三天，自来水了无音讯", "尽快恢复供水", "0793-8221234"),
        "water2": ("小区突然停水了", "请告知停水原因", "13807931111"),
        "lamp": ("路灯不亮已经一周", "请维修路灯", "13907031234"),
        "noise2": ("广场舞噪音很大", "限制音量", "15079300000"),
        "mixed": ("噪声和停电问题", "请协调", "13907031234"),
    }
    for i, (label, (narrative, request, phone)) in enumerate(texts.items()):
        clock.set(2026, 3, 2 + i // 2, 10, i)
        made[label] = t.register(staff.agent3, intake(core, narrative=narrative, request=request,
                                                      caller_phone=phone))
    return made


def test_two_character_terms(core, staff, corpus):
    find = lambda text: _numbers(core.search.find(staff.agent1, TicketQuery(text=text)))
    assert find("噪音") == [corpus["noise2"].number, corpus["noise"].number]  # newest first
    assert find("停水") == [corpus["water2"].number, corpus["water"].number]
    assert find("路灯") == [corpus["lamp"].number]
    assert find("地震") == []


def test_longer_terms_are_checked_exactly_after_the_bigram_index(core, staff, corpus):
    # "停水了" has bigrams 停水 + 水了; the first water ticket has both, but not adjacent.
    page = core.search.find(staff.agent1, TicketQuery(text="停水了"))
    assert _numbers(page) == [corpus["water2"].number]
    assert _numbers(core.search.find(staff.agent1, TicketQuery(text="夜间噪音扰民"))) == \
        [corpus["noise"].number]


def test_one_character_and_several_words(core, staff, corpus):
    assert set(_numbers(core.search.find(staff.agent1, TicketQuery(text="噪")))) == \
        {corpus["noise"].number, corpus["noise2"].number, corpus["mixed"].number}
    assert _numbers(core.search.find(staff.agent1, TicketQuery(text="小区 停水"))) == \
        [corpus["water2"].number]
    assert _numbers(core.search.find(staff.agent1, TicketQuery(text="噪音，餐馆"))) == \
        [corpus["noise"].number]
    with pytest.raises(ValidationError):
        core.search.find(staff.agent1, TicketQuery(text="长" * 500))


def test_keyset_paging_walks_everything_once(core, staff, corpus):
    seen, cursor, pages = [], None, 0
    while True:
        page = core.search.find(staff.agent1, TicketQuery(), page_size=4, cursor=cursor)
        seen += _numbers(page)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 2 and len(seen) == 6 and len(set(seen)) == 6
    assert seen == sorted(seen, reverse=True)
    page1 = core.search.find(staff.agent1, TicketQuery(text="噪"), page_size=2)
    page2 = core.search.find(staff.agent1, TicketQuery(text="噪"), page_size=2, cursor=page1.next_cursor)
    assert len(page1.items) == 2 and len(page2.items) == 1 and page2.next_cursor is None
    with pytest.raises(ValidationError):
        core.search.find(staff.agent1, TicketQuery(), cursor="garbage!")


def test_a_browse_statement_serves_only_those_who_see_the_same_tickets(core, staff, corpus, clock):
    """A list without search words runs a statement built once per query (``_browse``): an
    agent's and a unit liaison's same query must not share it, and a day later the deadline
    window is the new day's."""
    clock.set(2026, 3, 5, 9, 0)
    v = corpus["lamp"]
    core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    every = {t.number for t in corpus.values()}
    q = TicketQuery()
    for who, expected in ((staff.agent1, every), (staff.liaison, {v.number}), (staff.agent1, every),
                          (staff.liaison, {v.number})):
        assert set(_numbers(core.search.find(who, q))) == expected
    # two statuses: equalities (an IN list cannot be compiled once), paged with a cursor
    both = TicketQuery(statuses=frozenset({Status.REGISTERED, Status.DISPATCHED}))
    first = core.search.find(staff.agent1, both, page_size=4)
    rest = core.search.find(staff.agent1, both, page_size=4, cursor=first.next_cursor)
    assert len(first.items) == 4 and len(rest.items) == 2 and rest.next_cursor is None
    assert set(_numbers(first)) | set(_numbers(rest)) == every
    # the due-soon window moves with the day (it is part of the statement)
    soon = TicketQuery(due_soon=True)
    due = core.tickets.get(staff.agent1, v.id).due_date
    assert set(_numbers(core.search.find(staff.agent1, soon))) == set()  # 5 March: not yet
    eve, after = due - timedelta(days=1), due + timedelta(days=1)
    clock.set(eve.year, eve.month, eve.day, 9, 0)
    assert set(_numbers(core.search.find(staff.agent1, soon))) == {v.number}
    clock.set(after.year, after.month, after.day, 9, 0)
    assert set(_numbers(core.search.find(staff.agent1, soon))) == set()
    assert set(_numbers(core.search.find(staff.agent1, TicketQuery(overdue=True)))) == {v.number}


@pytest.mark.parametrize("narrow_limit", [search.NARROW, -1], ids=["filters drive", "index walk"])
def test_text_with_a_selective_filter_same_answer_either_way(core, staff, corpus, monkeypatch,
                                                            narrow_limit):
    """A selective filter (one caller, a rare status) starts from the tickets it leaves and looks
    their bigrams up; the answer, the order and the paging are the index walk's."""
    monkeypatch.setattr(search, "NARROW", narrow_limit)
    q = TicketQuery(text="噪音", phone="13907031234")
    assert _numbers(core.search.find(staff.agent1, q)) == [corpus["noise"].number]
    both = TicketQuery(text="小区", statuses=frozenset({Status.REGISTERED}))
    first = core.search.find(staff.agent1, both, page_size=1)
    rest = core.search.find(staff.agent1, both, page_size=1, cursor=first.next_cursor)
    assert _numbers(first) + _numbers(rest) == [corpus["water2"].number, corpus["noise"].number]
    assert rest.next_cursor is None
    assert _numbers(core.search.find(staff.agent1, TicketQuery(
        text="路灯", statuses=frozenset({Status.RETURNED})))) == []


def test_filters(core, staff, corpus, clock):
    find = lambda **q: set(_numbers(core.search.find(staff.agent1, TicketQuery(**q))))
    all_numbers = {v.number for v in corpus.values()}
    assert find(number=corpus["lamp"].number.lower()) == {corpus["lamp"].number}
    assert find(phone="+86 139 0703 1234") == {corpus[k].number for k in ("noise", "lamp", "mixed")}
    assert find(phone="8221234") == {corpus["water"].number}
    assert find(registered_from=date(2026, 3, 3), registered_to=date(2026, 3, 3)) == \
        {corpus["water2"].number, corpus["lamp"].number}
    assert find(category=Category.COMPLAINT) == all_numbers
    assert find(category=Category.SUGGESTION) == set()
    district = core.reference.districts()[0].code
    assert find(district_code=district) == all_numbers
    assert find(district_code=core.reference.districts()[1].code) == set()
    subject = corpus["noise"].subject_id
    parent = next(s for s in core.taxonomy.tree() if any(c.id == subject for c in s.children))
    assert find(subject_id=parent.id) == all_numbers  # a branch includes its leaves
    clock.set(2026, 3, 5, 9, 0)
    v = corpus["lamp"]
    r = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    assert find(unit_id=staff.liaison.unit_id) == {v.number}
    assert find(statuses=frozenset({Status.DISPATCHED})) == {v.number}
    assert find(statuses=frozenset({Status.REGISTERED})) == all_numbers - {v.number}
    assert find(text="路灯", statuses=frozenset({Status.REGISTERED})) == set()
    assert r.ticket.number in find(text="路灯", unit_id=staff.liaison.unit_id)


def test_overdue_and_due_soon(core, staff, clock):
    consult = register_and_dispatch(core, staff, category=Category.CONSULTATION)  # due 5 March
    complaint = register_and_dispatch(core, staff)                               # due 16 March
    replied = register_and_dispatch(core, staff, category=Category.CONSULTATION)
    core.tickets.reply(staff.liaison, replied.id, replied.version, ReplyMethod.ONLINE, "过程", "结果")

    clock.set(2026, 3, 4, 9, 0)
    soon = core.search.overdue(staff.supervisor, due_soon=True)
    assert _numbers(soon) == [consult.number] and soon.items[0].due_soon
    assert _numbers(core.search.overdue(staff.supervisor)) == []

    clock.set(2026, 3, 6, 9, 0)
    late = core.search.overdue(staff.supervisor)
    assert _numbers(late) == [consult.number] and late.items[0].overdue
    assert core.tickets.get(staff.supervisor, consult.id).overdue
    assert not core.tickets.get(staff.supervisor, replied.id).overdue  # the unit has answered
    assert {t.number for t in core.search.find(staff.supervisor, TicketQuery(overdue=True)).items} \
        == {consult.number}

    clock.set(2026, 3, 20, 9, 0)
    first = core.search.overdue(staff.supervisor, page_size=1)
    second = core.search.overdue(staff.supervisor, page_size=1, cursor=first.next_cursor)
    assert _numbers(first) + _numbers(second) == [consult.number, complaint.number]
    assert second.next_cursor is None
    assert _numbers(core.search.overdue(staff.liaison)) == [consult.number, complaint.number]
    other = next(u.id for u in core.units.list() if u.id != staff.liaison.unit_id)
    assert _numbers(core.search.overdue(staff.supervisor, unit_id=other)) == []


def test_caller_history_matches_however_the_pbx_formats_the_number(core, staff, clock):
    a = core.tickets.register(staff.agent1, intake(core, caller_phone="13907031234"))
    clock.set(2026, 3, 3, 9, 0)
    b = register_and_dispatch(core, staff, caller_phone="+8613907031234")
    c = core.tickets.register(staff.agent1, intake(core, caller_phone="0086 139 0703 1234"))
    core.tickets.reject_not_in_scope(staff.agent1, c.id, c.version, "police_emergency")
    core.tickets.register(staff.agent1, intake(core, caller_phone="13800000000"))

    for pbx_format in ("013907031234", "+86 139-0703-1234", "13907031234"):
        h = core.search.caller_history(staff.agent1, pbx_format)
        assert h.phone == "13907031234"
        assert [t.number for t in h.tickets] == [c.number, b.number, a.number]
        assert {t.number for t in h.open_tickets} == {a.number, b.number}
        assert h.repeat_count == 3 and h.is_repeat_caller
    assert [t.number for t in core.search.caller_history(staff.agent1, "13907031234", limit=1).tickets] \
        == [c.number]
    lonely = core.search.caller_history(staff.agent1, "0793 8221234")
    assert lonely.tickets == () and lonely.repeat_count == 0 and not lonely.is_repeat_caller
    with pytest.raises(ValidationError):
        core.search.caller_history(staff.agent1, "hello")


def test_pickers_match_characters_and_pinyin_initials(core):
    assert any(u.name == "上饶市住房和城乡建设局" for u in core.units.search("住房"))
    assert any(u.short_name == "市住建局" for u in core.units.search("szjj"))
    wygl = core.taxonomy.search("wygl")
    assert wygl and wygl[0].name == "物业管理" and wygl[0].path == "城乡建设 › 物业管理"
    assert [s.name for s in core.taxonomy.search("物业")][:1] == ["物业管理"]
    tree = core.taxonomy.tree()
    assert len(tree) == 17 and sum(len(n.children) for n in tree) >= 100
    assert len(core.reference.districts()) == 12


def test_unit_suggestions_prefer_history_in_the_district(core, staff):
    subject = next(s for s in core.taxonomy.search("物业管理") if s.name == "物业管理")
    district = core.reference.districts()[0]
    fresh = core.units.suggest(subject.id, district.code)
    assert fresh and fresh[0].district_code == district.code  # directory: the district's own unit
    chosen = staff.liaison.unit_id
    register_and_dispatch(core, staff)
    assert core.units.suggest(subject.id, district.code)[0].id == chosen
