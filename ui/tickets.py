"""工单 — the ticket list: search and filters over a model fed page by page.

Why page by page: the shared database holds a million tickets. The model asks the core for one
page at a time with a keyset cursor (``core.search.find(actor, query, page_size, cursor)``),
when the view scrolls within a page of the rows loaded (``TicketListModel.ensure_row``), and never
on the GUI thread.

Why placeholder rows: while more tickets exist, the model reports ``TAIL_PAGES`` pages of
"加载中…" rows after the loaded ones, and a page arriving fills them in place (``dataChanged``:
Qt repaints only those of the rows that are on screen — usually none, the page was fetched
ahead). A page appended as new rows instead changes the scroll range, and Qt then lays out and
repaints the whole list (8–10 ms of the GUI thread, every page, while the agent scrolls). A change elsewhere (this desk or another one, through the change bus) reloads the rows
already shown in one query, keeping the selection.
"""
from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QDate, QEvent, QModelIndex,
    QPersistentModelIndex, Qt, QTimer, Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QSizePolicy, QSplitter, QStyle, QVBoxLayout, QWidget,
)

from hotline_desk.domain import Category, Status, TicketQuery, TicketSummary
from ui import ticket_calls
from ui.intake_fields import DistrictPicker, SubjectPicker
from ui.painted_rows import Pages, PaintedRows, RowView, row_role, row_view
from ui.ticket_common import COLOUR_MUTED, SHANGHAI, due_state, fmt_date, fmt_dt, label_of

PAGE_SIZE = 100
#: placeholder pages after the loaded rows while more exist (see the module's docstring)
TAIL_PAGES = 10
#: at most this many rows are reloaded in one query when something changed
RELOAD_CAP = 500  # the core serves at most 500 rows per page
REFRESH_DEBOUNCE_MS = 300

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
#: the roles the list serves; Qt asks ~10 roles per cell per paint and the rest get None at once
_SERVED_ROLES = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _FOREGROUND, int(SUMMARY_ROLE)})

_NUMBER_RE = re.compile(r"^[A-Za-z]{1,4}\d{6,8}-?\d{1,6}$")
_PHONE_RE = re.compile(r"^\+?[\d\s\-()]{5,20}$")

#: column headers (Chinese source text; headerData translates)
COLUMNS = (
    QT_TRANSLATE_NOOP("TicketListModel", "编号"),
    QT_TRANSLATE_NOOP("TicketListModel", "状态"),
    QT_TRANSLATE_NOOP("TicketListModel", "办结期限"),
    QT_TRANSLATE_NOOP("TicketListModel", "类别"),
    QT_TRANSLATE_NOOP("TicketListModel", "事项分类"),
    QT_TRANSLATE_NOOP("TicketListModel", "县市区"),
    QT_TRANSLATE_NOOP("TicketListModel", "来电人"),
    QT_TRANSLATE_NOOP("TicketListModel", "来电号码"),
    QT_TRANSLATE_NOOP("TicketListModel", "诉求摘要"),
    QT_TRANSLATE_NOOP("TicketListModel", "主办单位"),
    QT_TRANSLATE_NOOP("TicketListModel", "登记时间"),
)
_NCOLS = len(COLUMNS)
# what a placeholder row shows until its page arrives
LOADING = QT_TRANSLATE_NOOP("TicketListModel", "加载中…")


def query_from_box(text: str, base: TicketQuery) -> TicketQuery:
    """One search box, three meanings: a ticket number, a phone number, or free text."""
    from dataclasses import replace

    text = text.strip()
    if not text:
        return replace(base, text="", number="", phone="")
    if _NUMBER_RE.match(text):
        return replace(base, number=text.upper(), text="", phone="")
    if _PHONE_RE.match(text) and sum(c.isdigit() for c in text) >= 5:
        return replace(base, phone=text, text="", number="")
    return replace(base, text=text, number="", phone="")


_SUMMARY_FIELDS = tuple(f.name for f in fields(TicketSummary))
_NUMBER_AT = _SUMMARY_FIELDS.index("number")
#: the summary's enum fields, packed by value (an enum member is an object the collector tracks)
_ENUMS = {_SUMMARY_FIELDS.index("status"): Status, _SUMMARY_FIELDS.index("category"): Category}


def _pack(s: TicketSummary) -> tuple[Any, ...]:
    """A ticket of the list as a tuple of plain values: the collector stops tracking it, where a
    ``TicketSummary`` per loaded row stayed tracked for good."""
    values = [getattr(s, name) for name in _SUMMARY_FIELDS]
    for at in _ENUMS:
        if values[at] is not None:
            values[at] = values[at].value
    return tuple(values)


def _unpack(packed: tuple[Any, ...]) -> TicketSummary:
    values = list(packed)
    for at, enum in _ENUMS.items():
        if values[at] is not None:
            values[at] = enum(values[at])
    return TicketSummary(*values)


class TicketListModel(QAbstractTableModel):
    """Ticket summaries, fetched a page at a time off the GUI thread."""

    loading_changed = Signal(bool)
    failed = Signal(str)
    reset_done = Signal()

    def __init__(self, ctx: Any, parent: Any = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        #: the loaded rows' tickets, packed (``_pack``: plain values, which the garbage collector
        #: stops tracking; see ``ui.painted_rows.RowView``), kept a page per tuple (``Pages``)
        self._rows: Pages = Pages()
        #: placeholder rows after ``_rows`` (more tickets exist; not fetched yet)
        self._tail = 0
        #: per row, what the cells show, formatted once when the page arrived (see _row_view)
        self.row_views: Pages = Pages()
        # made here, on the GUI thread: rows are formatted on a worker, which builds no Qt object
        # (rows name their icon and colours)
        self.icons = {
            "overdue": QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "due_soon": QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)}
        self._query = TicketQuery()
        self._cursor: str | None = None
        self._exhausted = True
        self._loading = False
        #: the last page asked for failed: nothing is fetched ahead by itself (``ensure_row``),
        #: else a database outage would be asked again at once, forever
        self.last_failed = False
        self._generation = 0

    # -- queries ---------------------------------------------------------------------------
    @property
    def query(self) -> TicketQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def loaded(self) -> int:
        """Rows with a ticket (``rowCount`` also counts the placeholders after them)."""
        return len(self._rows)

    def ensure_row(self, row: int) -> None:
        """The view shows rows up to ``row``: fetch what is missing up to a page beyond it (one
        query in flight at a time; a far jump into the placeholders fetches a larger page). Not
        after a failed page: that one is asked again by Qt at the list's end, a refresh or a
        new search, not on every scroll step."""
        missing = row + self.page_size - len(self._rows)
        if missing > 0 and not self.last_failed and self.canFetchMore():
            self._fetch(min(RELOAD_CAP, max(self.page_size, missing)), self._cursor, replace=False)

    def set_query(self, query: TicketQuery) -> None:
        """Start over with new filters: drop the rows, fetch the first page."""
        self._generation += 1
        self.beginResetModel()
        self._query = query
        self._rows = Pages()
        self.row_views = Pages()
        self._tail = 0
        self._cursor = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._fetch(self.page_size, None, replace=False)

    def reload(self) -> None:
        """Something changed: fetch again as many rows as are shown now, in one query."""
        self._generation += 1
        self._loading = False
        size = min(max(len(self._rows), self.page_size), RELOAD_CAP)
        self._fetch(size, None, replace=True)

    def _fetch(self, size: int, cursor: str | None, replace: bool) -> None:
        self._loading = True
        self.loading_changed.emit(True)
        gen = self._generation
        self.ctx.ops.run(self._find_and_format, self._query, size, cursor,
                         on_success=lambda got: self._arrived(gen, got, replace),
                         on_failure=lambda exc: self._fetch_failed(gen, exc),
                         label="ticket search")

    def _find_and_format(self, query: TicketQuery, size: int,
                         cursor: str | None) -> tuple[Any, list[tuple[Any, ...]], list[RowView]]:
        """On the worker: the page, its tickets packed (``_pack``), and what its cells show
        (texts, tooltips, the names of icons and colours). Formatting 100 rows took ~5 ms of the
        GUI thread per page while the list scrolled; translation lookups are safe off it."""
        page = ticket_calls.find_tickets(self.ctx.core, self.ctx.actor, query, size, cursor)
        return page, [_pack(s) for s in page.items], [self._row_view(s) for s in page.items]

    def _arrived(self, gen: int, got: tuple[Any, list[tuple[Any, ...]], list[RowView]], replace: bool) -> None:
        if gen != self._generation:
            return  # the filters changed meanwhile; this page belongs to an old question
        page, items, views = got
        self._loading = False
        self.last_failed = False
        exhausted = page.next_cursor is None
        self._cursor = page.next_cursor
        self._exhausted = exhausted
        if replace:
            self.beginResetModel()
            self._rows = Pages(items)
            self.row_views = Pages(views)
            self._tail = 0 if exhausted else TAIL_PAGES * self.page_size
            self.endResetModel()
            self.reset_done.emit()
        else:
            self._append(items, views)
        self.loading_changed.emit(False)

    def _append(self, items: list[tuple[Any, ...]], views: list[Any]) -> None:
        """A page after the loaded rows: into the placeholders first (no layout, no repaint of
        rows off screen), new rows for the rest; then the placeholders topped up, or dropped when
        the query has no more."""
        first = len(self._rows)
        filled = min(len(items), self._tail)
        if filled:
            self._rows.extend(items[:filled])
            self.row_views.extend(views[:filled])
            self._tail -= filled
            self.dataChanged.emit(self.index(first, 0), self.index(first + filled - 1, len(COLUMNS) - 1))
        if len(items) > filled:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(items) - filled - 1)
            self._rows.extend(items[filled:])
            self.row_views.extend(views[filled:])
            self.endInsertRows()
        end = len(self._rows)
        if self._exhausted and self._tail:
            self.beginRemoveRows(QModelIndex(), end, end + self._tail - 1)
            self._tail = 0
            self.endRemoveRows()
        elif not self._exhausted and self._tail < self.page_size:
            grow = TAIL_PAGES * self.page_size
            self.beginInsertRows(QModelIndex(), end + self._tail, end + self._tail + grow - 1)
            self._tail += grow
            self.endInsertRows()

    def _fetch_failed(self, gen: int, exc: BaseException) -> bool:
        if gen == self._generation:
            self._loading = False
            self.last_failed = True
            self.loading_changed.emit(False)
            self.failed.emit(str(exc))
        return False

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows) + self._tail

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        # Qt's own index() calls rowCount() and columnCount() — two calls into Python for every
        # cell of every paint; this is one
        if parent.isValid() or not (0 <= row < len(self._rows) + self._tail and 0 <= column < _NCOLS):
            return QModelIndex()
        return self.createIndex(row, column)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and not self._loading \
            and self._cursor is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetch(self.page_size, self._cursor, replace=False)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return self.tr(COLUMNS[section])
        return None

    def summary(self, row: int) -> TicketSummary:
        return _unpack(self._rows[row])

    def row_of(self, number: str) -> int:
        return next((i for i, s in enumerate(self._rows) if s[_NUMBER_AT] == number), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Lookups only: a scroll frame asks this ~1,000 times, so nothing is computed here."""
        role = int(role)
        if role not in _SERVED_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):  # a placeholder row
            return self.tr(LOADING) if role == _DISPLAY and index.column() == 0 else None
        if role == SUMMARY_ROLE:
            return _unpack(self._rows[row])
        return row_role(self.row_views[row], index.column(), role, self.icons, TicketTable.ICON_COLUMN)

    def _row_view(self, s: TicketSummary) -> RowView:
        """A row's texts, tooltips, deadline icon and colours, formatted once (dates with a time-zone
        conversion, translated words) instead of on every paint of every cell. Runs on a worker
        for every row of every page: each cell is computed once (it holds the GIL the GUI thread
        waits for while the list scrolls)."""
        word, colour, _ = due_state(s.overdue, s.due_soon)
        display = self._texts(s, word)
        tips = {8: self.tr("保密工单") if s.restricted else s.title}
        colours: dict[int, str] = {}
        if word:
            tips[2] = self.tr("{0}：期限 {1}").format(word, fmt_date(s.due_date))
            colours[2] = colour
        if s.restricted:
            colours.update((col, COLOUR_MUTED) for col in range(3, len(COLUMNS)))
        icon = "overdue" if s.overdue else "due_soon" if s.due_soon else None
        return row_view(display, tips, icon, colours)

    @staticmethod
    def _texts(s: TicketSummary, due_word: str) -> tuple[str, ...]:
        """The cells of ``COLUMNS`` in order; the due column puts the word first, so a narrow
        column never cuts it off."""
        head = (s.number, label_of(s.status), f"{due_word} {fmt_date(s.due_date)}".strip())
        registered = fmt_dt(s.registered_at)
        if s.restricted:
            hidden = QCoreApplication.translate("TicketListModel", "（保密）")
            return head + ("", "", "", "", "", hidden, "", registered)
        return head + (label_of(s.category) if s.category else "", s.subject_path, s.district_name,
                       s.caller_name, s.caller_phone, s.title, s.lead_unit_name, registered)


class TicketTable(PaintedRows):
    """The ticket list's view: the rows on screen painted in one pass (``ui.painted_rows``), the
    deadline icon in the 办结期限 column, "加载中…" on placeholder rows. The rows next to the
    screen are laid out between paints (``lay_out_ahead``): laying out the new rows' texts was
    ~37 % of a scroll step's paint under the stall benchmark."""

    ICON_COLUMN = 2

    def __init__(self, model: TicketListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, lay_out_ahead=True)
        self.setModel(model)
        self._loading: tuple[str, QColor] | None = None

    def placeholder(self) -> tuple[str, QColor]:
        if self._loading is None:
            self._loading = (QCoreApplication.translate("TicketListModel", LOADING), QColor(COLOUR_MUTED))
        return self._loading

    def forget_layouts(self) -> None:
        super().forget_layouts()
        self._loading = None


class TicketFilterBar(QWidget):
    """The filters the core's search offers, in two rows; Enter in any of them searches."""

    search_requested = Signal(object)  # TicketQuery

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        row1 = QHBoxLayout()
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("编号、电话或关键词，如 噪音"))
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.emit_query)
        label = QLabel(self.tr("查找(&F)"))
        label.setBuddy(self.box)
        row1.addWidget(label)
        row1.addWidget(self.box, 3)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        self.status.addItem(self.tr("未办结"), "open")
        for st in Status:
            self.status.addItem(label_of(st), st.value)
        row1.addWidget(self.status)
        self.category = QComboBox()
        self.category.addItem(self.tr("全部类别"), None)
        for cat in Category:
            self.category.addItem(label_of(cat), cat.value)
        row1.addWidget(self.category)
        self.overdue = QCheckBox(self.tr("已超期(&O)"))
        self.due_soon = QCheckBox(self.tr("即将到期(&E)"))
        row1.addWidget(self.overdue)
        row1.addWidget(self.due_soon)
        self.search_button = QPushButton(self.tr("查询"))
        self.search_button.clicked.connect(self.emit_query)
        row1.addWidget(self.search_button)
        outer.addLayout(row1)

        row2 = QHBoxLayout()
        self.district = DistrictPicker()
        self.district.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row2.addWidget(self.district)
        self.subject = SubjectPicker()
        self.subject.setPlaceholderText(self.tr("事项分类（拼音首字母）"))
        row2.addWidget(self.subject, 2)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.lineEdit().setPlaceholderText(self.tr("承办单位"))
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.setMinimumContentsLength(12)
        row2.addWidget(self.unit, 2)
        self.use_dates = QCheckBox(self.tr("登记日期"))
        row2.addWidget(self.use_dates)
        now = datetime.now(SHANGHAI)  # the hotline's calendar day, whatever the machine's zone
        today = QDate(now.year, now.month, now.day)
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        row2.addWidget(self.date_from)
        row2.addWidget(QLabel(self.tr("至")))
        row2.addWidget(self.date_to)
        self.clear_button = QPushButton(self.tr("清除条件"))
        self.clear_button.clicked.connect(self.clear)
        row2.addWidget(self.clear_button)
        row2.addStretch(1)
        outer.addLayout(row2)
        for combo in (self.status, self.category, self.district, self.unit):
            combo.activated.connect(lambda *_: self.emit_query())
        for box in (self.overdue, self.due_soon, self.use_dates):
            box.toggled.connect(lambda *_: self.emit_query())
        self.subject.subject_changed.connect(lambda *_: self.emit_query())
        for d in (self.date_from, self.date_to):
            d.editingFinished.connect(self.emit_query)

    def set_units(self, units: list[Any]) -> None:
        self.unit.clear()
        self.unit.addItem("", None)
        for u in units:
            self.unit.addItem(u.name, u.id)

    def query(self) -> TicketQuery:
        status = self.status.currentData()
        statuses: frozenset[Status] = frozenset()
        if status == "open":
            statuses = frozenset(s for s in Status if s.is_open)
        elif status:
            statuses = frozenset({Status(status)})
        category = Category(self.category.currentData()) if self.category.currentData() else None
        unit_id = self.unit.currentData() if self.unit.currentText().strip() else None
        start: date | None = None
        end: date | None = None
        if self.use_dates.isChecked():
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        base = TicketQuery(statuses=statuses, unit_id=unit_id, category=category,
                           subject_id=self.subject.subject_id, district_code=self.district.code,
                           registered_from=start, registered_to=end,
                           overdue=self.overdue.isChecked(), due_soon=self.due_soon.isChecked())
        return query_from_box(self.box.text(), base)

    def emit_query(self) -> None:
        self.search_requested.emit(self.query())

    def clear(self) -> None:
        self.blockSignals(True)  # one search at the end, not one per cleared field
        self.box.clear()
        self.status.setCurrentIndex(0)
        self.category.setCurrentIndex(0)
        self.district.set_code("")
        self.overdue.setChecked(False)
        self.due_soon.setChecked(False)
        self.subject.set_subject_id(None)
        self.unit.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.blockSignals(False)
        self.emit_query()


class TicketsPage(QWidget):
    """The list on the left, the selected ticket's detail on the right."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.ticket_detail import TicketDetail

        self.ctx = ctx
        self.setObjectName("TicketsPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        self.filters = TicketFilterBar()
        self.filters.search_requested.connect(self.search)
        outer.addWidget(self.filters)
        self.state_label = QLabel()
        self.state_label.setStyleSheet(f"color:{COLOUR_MUTED};")
        # its text changes with every page: that must not re-lay out the page (and repaint the
        # whole list) each time
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        outer.addWidget(self.state_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = TicketListModel(ctx, self)
        self.view = TicketTable(self.model)
        self.view.setAlternatingRowColors(True)
        # smooth wheel and drag scrolling; a scroll then repaints only the rows that came into
        # view (the rest of the viewport is moved), not all of it
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # at least the header and, for status and category, the longest label (English words are
        # longer than the Chinese ones the defaults were chosen for)
        words = {1: [label_of(s) for s in Status], 3: [label_of(c) for c in Category]}
        cell, head = self.view.fontMetrics(), header.fontMetrics()
        for col, width in enumerate((140, 58, 160, 44, 150, 62, 62, 104, 220, 150, 120)):
            title = self.model.headerData(col, Qt.Orientation.Horizontal)
            need = max(head.horizontalAdvance(title) + 28,
                       *(cell.horizontalAdvance(w) + 16 for w in words.get(col, [""])))
            self.view.setColumnWidth(col, max(width, need))
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.verticalScrollBar().valueChanged.connect(self._fetch_ahead)
        split.addWidget(self.view)
        self.detail = TicketDetail(ctx)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)

        self.model.loading_changed.connect(self._loading)
        self.model.failed.connect(lambda msg: self.state_label.setText(self.tr("查询失败：") + msg))
        self.model.reset_done.connect(self._reselect)
        self._selected_number = ""
        self._scroll = 0
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self._refresh_changed)
        #: tickets changed since the last refresh (None: unknown which — reload the detail too)
        self._changed_ids: set[Any] | None = set()
        ctx.changes.changed.connect(self._on_changes)
        sc = QShortcut(QKeySequence("Ctrl+R"), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.refresh)
        self._load_filters()
        self.search(self.filters.query())

    def _load_filters(self) -> None:
        self.ctx.ops.run(ticket_calls.load_intake_reference, self.ctx.core,
                         on_success=self._reference_loaded, label="filter reference")
        self.ctx.ops.run(ticket_calls.list_units, self.ctx.core, self.ctx.actor,
                         on_success=self.filters.set_units, label="units for filter")

    def _reference_loaded(self, ref: ticket_calls.IntakeReference) -> None:
        self.filters.district.set_districts(ref.districts)
        self.filters.subject.set_subjects(ref.subjects)

    def search(self, query: TicketQuery) -> None:
        self.model.set_query(query)

    def refresh(self) -> None:
        """Reload the rows shown and the ticket open in the detail (F5-like, Ctrl+R)."""
        self._scroll = self.view.verticalScrollBar().value()
        self.model.reload()
        self.detail.reload()

    def _refresh_changed(self) -> None:
        """After changes: the rows always; the detail only if its ticket is among them (every
        view of a confidential ticket is audited, so it is not re-read for nothing)."""
        changed, self._changed_ids = self._changed_ids, set()
        self._scroll = self.view.verticalScrollBar().value()
        self.model.reload()
        if changed is None or self.detail.ticket_id in changed:
            self.detail.reload()

    def _on_changes(self, kinds: set[str], ticket_ids: set[Any]) -> None:
        if not (kinds & {"ticket", "remote"} or ticket_ids):
            return
        if self._changed_ids is not None:
            if ticket_ids:
                self._changed_ids |= set(ticket_ids)
            else:
                self._changed_ids = None
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True  # a hidden list does not query; it catches up when shown

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def _loading(self, _loading: bool) -> None:
        if not self.model.loading:
            self._fetch_ahead()  # the rows on screen may still be placeholders (a long jump)
            self._placeholder_filled()
        # the model's state, not the signal's: a reload's reselection may have asked for more
        more = self.tr("，向下滚动加载更多") if self.model.canFetchMore() else ""
        self.state_label.setText(self.tr("正在查询…") if self.model.loading
                                 else self.tr("已显示 {0} 张工单").format(self.model.loaded) + more)

    def _placeholder_filled(self) -> None:
        """The current row was a placeholder when the agent moved onto it (End, PageDown) and
        its ticket has arrived since: show it, as moving onto it would have."""
        current = self.view.currentIndex()
        if current.isValid() and current.row() < self.model.loaded \
                and self.model.summary(current.row()).number != self._selected_number:
            self._row_changed(current, current)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.view.forget_layouts()  # "加载中…" in the old language (a font change: the view itself)

    def _fetch_ahead(self, *_args: Any) -> None:
        """Keep a page loaded beyond the last row on screen."""
        if not self.view.isVisible():
            return
        last = self.view.rowAt(self.view.viewport().height() - 1)
        self.model.ensure_row(last if last >= 0 else self.model.rowCount() - 1)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= self.model.loaded:
            return
        s = self.model.summary(current.row())
        self._selected_number = s.number
        self.detail.show_ticket(s.id)

    def _reselect(self) -> None:
        row = self.model.row_of(self._selected_number) if self._selected_number else -1
        if row >= 0:
            self.view.selectionModel().blockSignals(True)
            self.view.selectRow(row)
            self.view.selectionModel().blockSignals(False)
        self.view.verticalScrollBar().setValue(self._scroll)

    def open_ticket(self, ticket_id: Any) -> None:
        """Show one ticket's detail (the main window's ``ctx.open_ticket`` may call this)."""
        self.detail.show_ticket(ticket_id)
