"""The ticket list: a model fed page by page with a keyset cursor, the filters, overdue shown as
a word and an icon, and refresh when the change bus says tickets changed."""
from __future__ import annotations

import gc
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from hotline_desk.domain import Category, DispatchMode, DispatchOrder, Status, TicketQuery, TicketSummary
from ui.ops import Changes
from ui.tickets import (
    PAGE_SIZE, REFRESH_DEBOUNCE_MS, SUMMARY_ROLE, TAIL_PAGES, TicketListModel, TicketsPage, query_from_box,
)

from ticket_support import desk, idle, intake_form, open_core, subject_id

pytestmark = pytest.mark.gui


def register_many(core, actor, n, **kw):
    sid = subject_id(core)
    return [core.tickets.register(actor, intake_form(sid, **kw)) for _ in range(n)]


def shown_page(qtbot, ctx, page_size: int = PAGE_SIZE) -> TicketsPage:
    """The 工单 page on screen (1200×500, ~15 rows visible), all tickets, pages of ``page_size``."""
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 500)
    page.show()
    page.model.page_size = page_size
    page.search(TicketQuery())
    idle(qtbot, ctx)
    return page


def test_model_pages_through_the_cursor_and_passes_the_model_tester(qtbot, qtmodeltester, ctx, core):
    made = register_many(core, ctx.actor, 25)
    model = TicketListModel(ctx, page_size=10)
    model.set_query(TicketQuery())
    qtbot.waitUntil(lambda: model.loaded == 10, timeout=5000)
    # more exist: placeholder rows follow, so the next page fills rows instead of adding them
    assert model.rowCount() == 10 + TAIL_PAGES * 10
    assert model.index(10, 0).data() == "加载中…" and model.index(10, 1).data() is None
    assert model.canFetchMore()
    assert model.summary(0).number == made[-1].number  # newest first
    inserted, removed, changed = [], [], []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda tl, br, _roles=(): changed.append((tl.row(), br.row())))
    model.fetchMore()
    assert not model.canFetchMore()  # one fetch in flight at a time
    qtbot.waitUntil(lambda: model.loaded == 20, timeout=5000)
    assert (inserted, removed, changed) == ([], [], [(10, 19)])  # filled in place
    assert model.rowCount() == 10 + TAIL_PAGES * 10
    model.fetchMore()
    qtbot.waitUntil(lambda: model.loaded == 25, timeout=5000)
    idle(qtbot, ctx)
    assert not model.canFetchMore()
    assert removed == [(25, 10 + TAIL_PAGES * 10 - 1)]  # no more tickets: placeholders dropped
    assert model.rowCount() == 25
    assert [model.summary(r).number for r in range(25)] == [t.number for t in reversed(made)]
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == Status.REGISTERED.label_zh
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"


def test_scrolling_fetches_ahead_of_the_rows_on_screen(qtbot, ctx, core):
    """The page keeps a page loaded beyond the last row on screen; a jump far into the
    placeholders (the scroll bar dragged down) fetches up to there in one larger page."""
    made = register_many(core, ctx.actor, 60)
    page = shown_page(qtbot, ctx, page_size=10)
    on_screen = page.view.rowAt(page.view.viewport().height() - 1) + 1
    assert 5 < on_screen < 25
    loaded = page.model.loaded
    assert on_screen + 9 <= loaded < on_screen + 30  # a page beyond the last row on screen, not all
    assert page.model.rowCount() > loaded  # placeholders after them
    inserted = []
    page.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    page.view.scrollTo(page.model.index(loaded - 1, 0))
    idle(qtbot, ctx)
    assert page.model.loaded > loaded and inserted == []
    page.view.verticalScrollBar().setValue(page.view.verticalScrollBar().maximum())
    idle(qtbot, ctx)
    assert page.model.loaded == page.model.rowCount() == 60
    assert [page.model.summary(r).number for r in range(60)] == [t.number for t in reversed(made)]
    assert "已显示 60 张工单" in page.state_label.text()
    page.view.selectRow(59)
    assert page.detail.ticket_id == made[0].id


def test_a_failed_page_is_not_asked_again_by_itself(qtbot, ctx, core, monkeypatch):
    """The database goes away while the agent is near the loaded end: one failed query and
    its message, not a query (and a message) per turn of the loop; the next search works."""
    import ui.tickets

    register_many(core, ctx.actor, 60)
    page = shown_page(qtbot, ctx, page_size=10)
    real = ui.tickets.ticket_calls.find_tickets
    asked = []

    def down(*args, **kwargs):
        asked.append(args)
        raise ConnectionError("数据库连接中断")

    monkeypatch.setattr(ui.tickets.ticket_calls, "find_tickets", down)
    page.view.scrollTo(page.model.index(page.model.loaded - 1, 0))
    idle(qtbot, ctx)
    qtbot.wait(200)
    idle(qtbot, ctx)
    assert len(asked) == 1 and page.model.last_failed
    assert "查询失败" in page.state_label.text()
    monkeypatch.setattr(ui.tickets.ticket_calls, "find_tickets", real)
    page.search(TicketQuery())
    idle(qtbot, ctx)
    assert not page.model.last_failed and page.model.loaded >= 10


def test_a_placeholder_row_moved_onto_shows_its_ticket_when_it_arrives(qtbot, ctx, core):
    made = register_many(core, ctx.actor, 40)
    model_rows = {t.number: t.id for t in made}
    page = shown_page(qtbot, ctx, page_size=10)
    loaded = page.model.loaded
    assert page.model.rowCount() > loaded + 5
    page.view.setCurrentIndex(page.model.index(loaded + 5, 0))  # PageDown into "加载中…"
    assert page.detail.ticket_id is None
    page.view.scrollTo(page.model.index(loaded + 5, 0))
    qtbot.waitUntil(lambda: page.model.loaded > loaded + 5, timeout=5000)
    idle(qtbot, ctx)
    number = page.model.summary(loaded + 5).number
    assert page.detail.ticket_id == model_rows[number]


def test_painting_the_list_only_looks_rows_up(qtbot, ctx, core, monkeypatch):
    """A scroll frame asks data() ~1,000 times: rows are formatted once, when their page arrives."""
    import ui.tickets

    made = register_many(core, ctx.actor, 3)
    model = TicketListModel(ctx)
    model.set_query(TicketQuery())
    idle(qtbot, ctx)
    assert model.rowCount() == 3

    def no_formatting_while_painting(*_a):
        raise AssertionError("formatted on paint")

    for name in ("due_state", "fmt_dt", "fmt_date", "label_of"):
        monkeypatch.setattr(ui.tickets, name, no_formatting_while_painting)
    for row in range(3):
        for col in range(model.columnCount()):
            for role in range(0, 40):
                model.index(row, col).data(role)
    assert model.index(0, 0).data() == made[-1].number
    assert model.index(0, 10).data()  # the registration time, formatted when the page arrived
    assert model.index(0, 8).data(Qt.ItemDataRole.ToolTipRole) == model.summary(0).title
    for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
                 Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole):
        assert model.index(0, 0).data(role) is None  # roles the list does not serve


def test_the_list_paints_from_the_formatted_rows(qtbot, ctx, core):
    """The view paints each cell from the row's formatted view: painting the whole list asks
    the model for nothing (Qt's own delegate asked ~10 roles per cell)."""
    register_many(core, ctx.actor, 5)
    page = shown_page(qtbot, ctx)
    assert page.model.rowCount() == 5
    asked = []
    real = page.model.data
    page.model.data = lambda index, role=Qt.ItemDataRole.DisplayRole: asked.append(role) or real(index, role)
    shot = page.view.viewport().grab()
    assert not shot.isNull() and asked == []


def test_the_view_paints_selection_alternate_rows_texts_and_placeholders(qtbot, ctx, core):
    """The rows are painted by the view in one pass (no per-cell delegate): the selected row in
    the selection colour, every other row in the alternate colour, each cell's text, and
    "加载中…" on a row whose page has not arrived."""
    from PySide6.QtGui import QPalette

    register_many(core, ctx.actor, 4)
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 500)
    page.model.ensure_row = lambda row: None  # no page fetched ahead: the rows after stay placeholders
    page.show()
    page.model.page_size = 3  # a fourth ticket exists
    page.search(TicketQuery())
    idle(qtbot, ctx)
    view = page.view
    assert page.model.loaded == 3 and page.model.rowCount() > 3
    view.selectRow(0)
    shot = view.viewport().grab().toImage()
    pal = view.palette()
    blank_x = view.columnViewportPosition(2) + view.columnWidth(2) - 6  # 办结期限: empty here
    at = lambda row, x=blank_x: shot.pixelColor(x, view.rowViewportPosition(row) + 6)  # noqa: E731
    assert at(0) == pal.color(QPalette.ColorRole.Highlight)
    assert at(1) == pal.color(QPalette.ColorRole.AlternateBase)
    assert at(2) == pal.color(QPalette.ColorRole.Base)

    def inked(row, col):  # pixels of the cell unlike its background: text was drawn
        x0, y0 = view.columnViewportPosition(col), view.rowViewportPosition(row)
        background = shot.pixelColor(x0 + view.columnWidth(col) - 6, y0 + 6)
        return sum(shot.pixelColor(x, y) != background
                   for x in range(x0 + 2, x0 + view.columnWidth(col) - 2)
                   for y in range(y0 + 2, y0 + view.rowHeight(row) - 2))

    assert all(inked(row, 0) > 20 for row in range(3))  # the ticket numbers
    assert inked(3, 0) > 20 and inked(3, 1) == 0  # "加载中…", in the first column only


def test_a_stale_page_never_lands_in_a_new_search(qtbot, ctx, core):
    register_many(core, ctx.actor, 5)
    register_many(core, ctx.actor, 3, phone="13807930000")
    model = TicketListModel(ctx, page_size=50)
    model.set_query(TicketQuery())
    model.set_query(TicketQuery(phone="13807930000"))  # the first answer arrives too late
    idle(qtbot, ctx)
    assert model.rowCount() == 3


def test_search_box_means_number_phone_or_text(qtbot, ctx, core):
    sid = subject_id(core)
    t1 = core.tickets.register(ctx.actor, intake_form(sid, narrative="路灯不亮已经一个月", request="修路灯"))
    core.tickets.register(ctx.actor, intake_form(sid, phone="0793-8221234", narrative="停水三天"))
    assert query_from_box(t1.number.lower(), TicketQuery()).number == t1.number
    assert query_from_box("0793-8221234", TicketQuery()).phone == "0793-8221234"
    assert query_from_box("路灯", TicketQuery()).text == "路灯"
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    idle(qtbot, ctx)
    assert page.model.rowCount() == 2
    for text, expected in ((t1.number, [t1.number]), ("路灯", [t1.number]), ("8221234", None)):
        page.filters.box.setText(text)
        page.filters.emit_query()
        idle(qtbot, ctx)
        numbers = [page.model.summary(r).number for r in range(page.model.rowCount())]
        if expected is None:
            assert len(numbers) == 1 and numbers[0] != t1.number
        else:
            assert numbers == expected
    page.filters.box.clear()
    page.filters.category.setCurrentIndex(page.filters.category.findData(Category.CONSULTATION.value))
    page.filters.emit_query()
    idle(qtbot, ctx)
    assert page.model.rowCount() == 0
    assert "已显示 0 张工单" in page.state_label.text()


def test_overdue_is_a_word_and_an_icon_as_well_as_a_colour(qtbot, tmp_path, ctx, core):
    # another desk whose clock is 40 days behind dispatched a ticket: it is overdue today
    sid = subject_id(core)
    past = open_core(core.url, "desk-past", clock=lambda: core.ctx.now() - timedelta(days=40))
    try:
        actor = past.auth.sign_in("agent3", "demo-agent3", "desk-past")
        t = past.tickets.register(actor, intake_form(sid))
        unit = past.units.suggest(sid, "361102")[0]
        past.tickets.dispatch(actor, t.id, t.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    finally:
        past.close()
    register_many(core, ctx.actor, 1)
    model = TicketListModel(ctx)
    model.set_query(TicketQuery(overdue=True))
    idle(qtbot, ctx)
    assert model.rowCount() == 1
    due = model.index(0, 2)
    assert "已超期" in due.data()
    assert due.data(Qt.ItemDataRole.DecorationRole) is not None
    assert due.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "已超期" in due.data(Qt.ItemDataRole.ToolTipRole)
    normal = TicketListModel(ctx)
    normal.set_query(TicketQuery(statuses=frozenset({Status.REGISTERED})))
    idle(qtbot, ctx)
    assert normal.index(0, 2).data(Qt.ItemDataRole.DecorationRole) is None


def walked(obj) -> int:
    """How many references a full collection follows from ``obj`` through tracked containers."""
    seen, stack, total = set(), [obj], 0
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, type) or not gc.is_tracked(o):
            continue
        seen.add(id(o))
        refs = gc.get_referents(o)
        total += len(refs)
        stack.extend(refs)
    return total


def test_loaded_rows_are_plain_values_the_collector_stops_tracking(qtbot, ctx, core):
    """A full collection walks every tracked object: with a TicketSummary and a row of Qt objects
    per loaded row, one took 303 ms after a long scroll (227,000 rows). Rows with an icon and a
    colour (overdue) and rows without; the ticket comes back whole from its packed row."""
    made = register_many(core, ctx.actor, 30)
    model = TicketListModel(ctx, page_size=10)
    formatted = model._row_view
    model._row_view = lambda s: formatted(replace(s, overdue=s.id % 2 == 0))  # every other row overdue
    model.set_query(TicketQuery())
    idle(qtbot, ctx)
    model.fetchMore()
    idle(qtbot, ctx)
    assert model.loaded == 20
    assert {model.index(r, 2).data(Qt.ItemDataRole.DecorationRole) is None for r in range(2)} == {True, False}
    for _ in range(4):  # a pass untracks a tuple whose items an earlier pass untracked
        gc.collect()
    assert not any(gc.is_tracked(row) for row in model.row_views)
    assert not any(gc.is_tracked(packed) for packed in model._rows)
    # and no container walks them one by one: a full collection visits a page, not its rows
    assert walked(model.row_views) < 10 and walked(model._rows) < 10  # 20 rows, 2 pages
    s = model.summary(0)
    assert isinstance(s, TicketSummary) and s.number == made[-1].number
    assert s.status is made[-1].status and s.category is made[-1].category
    assert model.index(0, 0).data(SUMMARY_ROLE) == s


def test_another_desks_change_reaches_the_list_through_the_bus(qtbot, ctx, core):
    register_many(core, ctx.actor, 3)
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, ctx)
    page.view.selectRow(1)
    chosen = page.model.summary(1).number
    other = desk(core, "agent2", "desk-2")
    try:
        new = core.tickets.register(other.actor, intake_form(subject_id(core)))
        ctx.changes.announce(Changes.of("remote", [new.id]))  # what H5's change follower does
        qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=5000)
    finally:
        other.ops.shutdown()
    assert page.model.summary(0).number == new.number
    idle(qtbot, ctx)
    rows = page.view.selectionModel().selectedRows()
    assert [page.model.summary(i.row()).number for i in rows] == [chosen]  # selection kept


def test_masked_data_is_shown_as_the_core_sends_it(qtbot, core):
    sid = subject_id(core)
    agent = core.auth.sign_in("agent3", "demo-agent3", "d")
    core.tickets.register(agent, intake_form(sid, phone="13907031234"))
    analyst = desk(core, "analyst", "desk-a")
    try:
        model = TicketListModel(analyst)
        model.set_query(TicketQuery())
        idle(qtbot, analyst)
        assert model.index(0, 7).data() == "139****1234"
        assert model.index(0, 6).data() == "张**"
    finally:
        analyst.ops.shutdown()


def test_a_hidden_list_catches_up_when_shown_instead_of_querying_for_every_change(qtbot, ctx, core):
    register_many(core, ctx.actor, 2)
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    idle(qtbot, ctx)
    assert not page.isVisible()
    new = register_many(core, ctx.actor, 1)[0]
    ctx.changes.announce(Changes.of("remote", [new.id]))
    qtbot.wait(400)
    assert ctx.ops.in_flight == 0 and page.model.rowCount() == 2  # no query while hidden
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)


def test_the_detail_is_read_again_only_when_its_own_ticket_changed(qtbot, ctx, core):
    a, b = register_many(core, ctx.actor, 2)
    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, ctx)
    page.open_ticket(a.id)
    qtbot.waitUntil(lambda: page.detail.ticket is not None, timeout=5000)
    loads = []
    page.detail.loaded.connect(loads.append)
    ctx.changes.announce(Changes.of("remote", [b.id]))  # another ticket changed
    qtbot.wait(REFRESH_DEBOUNCE_MS + 200)
    idle(qtbot, ctx)
    assert loads == []
    ctx.changes.announce(Changes.of("remote", [a.id]))  # this one changed
    qtbot.waitUntil(lambda: len(loads) == 1, timeout=5000)



def test_laid_out_cell_texts_are_bounded_dropping_the_oldest(qtbot, ctx, monkeypatch):
    """Scrolling a million rows lays out new texts all day: the cache keeps the newest, one
    dropped per new one (clearing 20,000 at once held the GUI thread ~50 ms mid-scroll)."""
    from ui.tickets import TicketTable

    page = TicketsPage(ctx)
    qtbot.addWidget(page)
    view = page.view
    assert isinstance(view, TicketTable)
    monkeypatch.setattr(TicketTable, "LAID_OUT_MAX", 10)
    view._laid_out.clear()
    for i in range(25):
        static, height = view._lay_out((f"小区电梯停运第{i}天", 120, False))
        assert static.text().startswith("小区") and height > 0
    assert list(view._laid_out) == [(f"小区电梯停运第{i}天", 120, False) for i in range(15, 25)]
