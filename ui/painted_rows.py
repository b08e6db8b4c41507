"""Tables that paint their rows themselves: the ticket list, and the pop's history and recent calls.

A ``PaintedRows`` view paints the rows on screen in one pass, from rows its model formatted once
(``model.row_views``: one ``RowView`` per row; rows after the last one are placeholders):
- the alternate rows, the selection, the grid;
- optionally one column as a second line across the row (``detail_column``: the pop's 诉求);
- an icon at the start of ``ICON_COLUMN``, and each text in its colour, bold where asked, elided
  and laid out once per text and width (``QStaticText``);
- ``placeholder()``'s text in the first column of a placeholder row.

Why not an item delegate: Qt calls a delegate once per cell, and a Python delegate's call costs
~20 µs before anything is drawn (wrappers for the painter and the index, a copied
``QStyleOptionViewItem``). A scroll step of the ticket list paints ~35 cells, 60 times a second
while the agent scrolls: that was 15 % of the GUI thread under the stall benchmark, at ~60 µs a
cell. Here a cell costs one or two calls into Qt.

Qt's own delegate (and so a ``QTreeWidget``) also asks the item for ~10 roles per cell — for
items made in Python, each a call back into Python — and shapes the text again on every paint:
a whole repaint of the ticket list took 13–14 ms, and the pop's ten-row history 1.5–2.5 ms each
time a call was shown. The model still answers every role (tooltips, accessibility, tests).
"""
from __future__ import annotations

import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QStaticText, QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHeaderView, QStyle, QStyleOptionViewItem, QTableView, QWidget,
)

NO_BOLD: tuple[int, ...] = ()
_DISPLAY, _TOOLTIP, _DECORATION = (int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                                    Qt.ItemDataRole.DecorationRole))
_FOREGROUND, _FONT = int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole)

#: One row as painted: ``(texts, tips, icon, colours, bold)``, made once when the row arrives
#: (on a worker for the ticket list) by ``row_view``:
#: - ``texts``: the cells' texts; ``tips``: the cells' tooltips (or None), or ``()`` for none;
#: - ``icon``: the key of the row's icon in its model's ``icons`` (or None);
#: - ``colours``: the cells' text colours as colour names (None: the palette's text colour),
#:   or ``()`` when all are;
#: - ``bold``: the columns in bold.
#:
#: Plain values in plain tuples, so the garbage collector stops tracking the row after its first
#: look at it: CPython untracks a tuple whose items are untracked, and never one holding a dict.
#: A NamedTuple holding dicts and ``QIcon``/``QBrush`` objects stayed tracked, with the
#: ``TicketSummary`` beside it, ~2.2 objects per loaded row: after a long scroll of the ticket
#: list (227,000 rows) one full collection walked them for 303 ms of the GUI thread.
RowView = tuple[tuple[str, ...], tuple["str | None", ...], "str | None", tuple["str | None", ...], tuple[int, ...]]
_COLOURS: dict[str, QColor] = {}


def row_view(texts: tuple[str, ...], tips: dict[int, str], icon: str | None = None,
             colours: dict[int, str] | None = None, bold: tuple[int, ...] = NO_BOLD) -> RowView:
    """A ``RowView`` (see above); ``tips`` and ``colours`` by column."""
    return (texts, _by_column(tips, len(texts)), icon, _by_column(colours, len(texts)), bold)


def _by_column(values: dict[int, str] | None, count: int) -> tuple[str | None, ...]:
    return tuple(values.get(col) for col in range(count)) if values else ()


class Pages(Sequence[Any]):
    """A long list of rows kept a page per tuple (the ticket list's loaded rows and tickets).

    A full collection walks every item of a list, tracked or not: with 227,000 rows loaded, two
    lists of rows cost 23–93 ms of the GUI thread each time, after the rows themselves had
    stopped being tracked. A tuple of untracked rows is itself untracked, so here it walks one
    item per page."""

    __slots__ = ("_pages", "_starts", "_len")

    def __init__(self, rows: Iterable[Any] = ()) -> None:
        self._pages: list[tuple[Any, ...]] = []
        self._starts: list[int] = []
        self._len = 0
        self.extend(rows)

    def extend(self, rows: Iterable[Any]) -> None:
        page = tuple(rows)
        if page:
            self._pages.append(page)
            self._starts.append(self._len)
            self._len += len(page)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        k = bisect_right(self._starts, i) - 1
        return self._pages[k][i - self._starts[k]]

    def __iter__(self) -> Iterator[Any]:
        for page in self._pages:
            yield from page


def _colour_of(colour: str) -> QColor:
    """The colour of a colour name, made once (on the GUI thread: painting and the roles)."""
    found = _COLOURS.get(colour)
    if found is None:
        found = _COLOURS[colour] = QColor(colour)
    return found


def row_role(view: RowView, col: int, role: int, icons: dict[str, QIcon], icon_column: int | None = None) -> Any:
    """What a model answers for a row's cell (``role`` as an int): painting does not ask,
    tooltips, accessibility and tests do."""
    texts, tips, icon, colours, bold = view
    if role == _DISPLAY:
        return texts[col] if 0 <= col < len(texts) else None
    if role == _TOOLTIP:
        return tips[col] if 0 <= col < len(tips) else None
    if role == _DECORATION:
        return icons.get(icon) if icon is not None and col == icon_column else None
    if role == _FOREGROUND:
        colour = colours[col] if 0 <= col < len(colours) else None
        return None if colour is None else QBrush(_colour_of(colour))
    if role == _FONT and col in bold:
        font = QFont()
        font.setBold(True)
        return font
    return None


class RowsModel(QAbstractTableModel):
    """A short list of ready-made rows (the pop's history and recent calls) and a value per row,
    served as ``Qt.UserRole``."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.row_views: list[RowView] = []
        self.values: list[Any] = []
        #: the rows' icons by key (a model for ``PaintedRows`` has one)
        self.icons: dict[str, QIcon] = {}

    def set_rows(self, rows: list[tuple[RowView, Any]]) -> None:
        self.beginResetModel()
        self.row_views = [view for view, _value in rows]
        self.values = [value for _view, value in rows]
        self.endResetModel()

    def insert_first(self, view: RowView, value: Any, keep: int) -> None:
        """A new row on top; rows past ``keep`` go."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.row_views.insert(0, view)
        self.values.insert(0, value)
        self.endInsertRows()
        if len(self.row_views) > keep:
            self.beginRemoveRows(QModelIndex(), keep, len(self.row_views) - 1)
            del self.row_views[keep:], self.values[keep:]
            self.endRemoveRows()

    def texts(self, row: int) -> tuple[str, ...]:
        return self.row_views[row][0]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.row_views)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.row_views):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.values[index.row()]
        return row_role(self.row_views[index.row()], index.column(), int(role), self.icons)


class PaintedRows(QTableView):
    """See the module's docstring. The model is any table model with a ``row_views`` list
    (``RowView``) and the rows' ``icons`` by key."""

    ICON = 16
    #: the column whose cells start with the row's icon
    ICON_COLUMN: int | None = None
    #: laid-out texts kept: a few screens of cells (a scroll paints new rows, rarely old ones)
    LAID_OUT_MAX = 5_000
    #: with ``lay_out_ahead``: the most a loop turn spends laying out the rows next to the screen
    AHEAD_BUDGET_S = 0.001

    def __init__(self, parent: QWidget | None = None, row_height: int | None = 28,
                 laid_out_max: int | None = None, detail_column: int | None = None,
                 lay_out_ahead: bool = False) -> None:
        """``row_height`` None: the font's line height and a little (twice with a detail line),
        following font changes. ``detail_column``: painted as a second line across the row, in
        its colour; its header section is hidden. ``lay_out_ahead``: after each paint, the texts
        of a screen of rows below and above the shown ones are laid out in the loop's next turns
        (``AHEAD_BUDGET_S`` at a time), so a scroll step finds its new rows' texts ready."""
        super().__init__(parent)
        if laid_out_max is not None:
            self.LAID_OUT_MAX = laid_out_max
        self._row_height = row_height
        self.detail_column = detail_column
        self._laid_out: OrderedDict[tuple[str, int, bool], tuple[QStaticText, int]] = OrderedDict()
        self._colours: tuple[Any, ...] | None = None
        self._bold: tuple[QFont, QFontMetrics] | None = None
        # the text margin Qt's own delegate uses (QCommonStyle: focus frame margin + 1)
        self.margin = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        header = self.verticalHeader()
        header.hide()
        header.setDefaultSectionSize(row_height or self._font_row_height())
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one height: rows found by arithmetic
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self._ahead: QTimer | None = None
        #: (columns, first row, last row) laid out by the last whole pass ahead: the next pass,
        #: a scroll step later, skips them (walking two screens of cells each time cost more
        #: than the texts it laid out); forgotten when the rows or the texts change
        self._ahead_done: tuple[Any, int, int] | None = None
        if lay_out_ahead:
            self._ahead = QTimer(self)
            self._ahead.setSingleShot(True)
            self._ahead.setInterval(0)
            self._ahead.timeout.connect(self._lay_out_ahead)

    def placeholder(self) -> tuple[str, QColor] | None:
        """What a placeholder row shows in its first column, and in which colour."""
        return None

    def forget_layouts(self) -> None:
        """After a font or language change: texts are elided and laid out again."""
        self._laid_out.clear()
        self._bold = None
        self._ahead_done = None

    # the rows changed: what was laid out ahead may be other rows' texts now
    def reset(self) -> None:
        self._ahead_done = None
        super().reset()

    def rowsInserted(self, parent: Any, first: int, last: int) -> None:  # noqa: N802 - Qt override
        self._ahead_done = None
        super().rowsInserted(parent, first, last)

    def dataChanged(self, top_left: Any, bottom_right: Any, roles: Any = ()) -> None:  # noqa: N802
        self._ahead_done = None
        super().dataChanged(top_left, bottom_right, roles)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the desk's font size is a setting
            self.forget_layouts()
            if self._row_height is None:
                self.verticalHeader().setDefaultSectionSize(self._font_row_height())

    def _font_row_height(self) -> int:
        return (self.fontMetrics().height() + 2) * (1 if self.detail_column is None else 2)

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        if self.detail_column is not None:
            self.setColumnHidden(self.detail_column, True)  # it is the second line

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        model = self.model()
        count = model.rowCount()
        area = event.rect()
        first = self.rowAt(area.top())
        if count == 0 or first < 0:
            return
        last = self.rowAt(area.bottom())
        last = count - 1 if last < 0 else last
        grid = 1 if self.showGrid() else 0
        height = self.verticalHeader().defaultSectionSize()
        columns = self._columns_in(area.left(), area.right(), grid)
        if not columns:
            return
        painter = QPainter(self.viewport())
        colours = self._colours
        key = self.palette().cacheKey()
        if colours is None or colours[0] != key:
            colours = self._colours = self._palette_colours()
        _key, highlight, highlighted_text, text_colour, alternate, grid_colour = colours
        left_edge = columns[0][1]
        right_edge = columns[-1][1] + columns[-1][2] + grid
        selected = {i.row() for i in self.selectionModel().selectedRows()}
        alternating = self.alternatingRowColors()
        views, icons = model.row_views, model.icons
        loaded = len(views)
        margin, icon_size, icon_column = self.margin, self.ICON, self.ICON_COLUMN
        detail = self.detail_column
        line = (height - grid) // (1 if detail is None else 2)  # the first line's height
        laid_out = self._laid_out
        top = self.rowViewportPosition(first)
        y = top
        for row in range(first, last + 1):
            is_selected = row in selected
            if is_selected:
                painter.fillRect(left_edge, y, right_edge - left_edge, height, highlight)
            elif alternating and row & 1:
                painter.fillRect(left_edge, y, right_edge - left_edge, height, alternate)
            if row >= loaded:  # a placeholder row: its page is on its way
                waiting = self.placeholder()
                if waiting is not None and columns[0][0] == 0:
                    painter.setPen(waiting[1])
                    painter.drawText(QRect(columns[0][1] + margin, y, columns[0][2] - margin, height - grid),
                                     _ALIGN, waiting[0])
                y += height
                continue
            display, _tips, icon, colours, bold = views[row]
            pen: Any = None  # what the painter's pen was last set from (colours are shared names)
            for col, x, width in columns:
                left = x + margin
                if icon is not None and col == icon_column:
                    icons[icon].paint(painter, QRect(left, y + (line - icon_size) // 2, icon_size, icon_size))
                    left += icon_size + margin
                text = display[col] if col < len(display) else ""
                if not text:
                    continue
                heavy = col in bold
                cell = (text, x + width - 1 - margin - left, heavy)
                laid = laid_out.get(cell)
                if laid is None:
                    laid = self._lay_out(cell)
                want = highlighted_text if is_selected else (colours and colours[col]) or text_colour
                if want is not pen:
                    painter.setPen(want if want is highlighted_text or want is text_colour else _colour_of(want))
                    pen = want
                if heavy:  # drawStaticText lays out again unless the painter has the same font
                    painter.setFont(self.bold_font()[0])
                painter.drawStaticText(left, y + (line - laid[1]) // 2, laid[0])
                if heavy:
                    painter.setFont(self.font())
            if detail is not None and display[detail]:
                cell = (display[detail], right_edge - left_edge - 2 * margin, False)
                laid = laid_out.get(cell) or self._lay_out(cell)
                want = highlighted_text if is_selected else (colours and colours[detail]) or text_colour
                painter.setPen(want if want is highlighted_text or want is text_colour else _colour_of(want))
                painter.drawStaticText(left_edge + margin, y + line + (line - laid[1]) // 2, laid[0])
            y += height
        if grid:
            painter.setPen(grid_colour)
            bottom = y - 1
            for _col, x, width in columns:
                painter.drawLine(x + width, top, x + width, bottom)
            for line in range(top + height - 1, y, height):
                painter.drawLine(left_edge, line, right_edge - 1, line)
        painter.end()
        if self._ahead is not None and not self._ahead.isActive():
            self._ahead.start()

    def _columns_in(self, left: int, right: int, grid: int) -> list[tuple[int, int, int]]:
        """``(column, x, width without the grid line)`` of the shown columns between ``left``
        and ``right`` (viewport pixels)."""
        columns = []
        for col in range(self.model().columnCount()):
            x, width = self.columnViewportPosition(col), self.columnWidth(col)
            if not self.isColumnHidden(col) and x + width > left and x <= right:
                columns.append((col, x, width - grid))
        return columns

    def _lay_out_ahead(self) -> None:
        """Lay out the texts of a screen of rows after the shown ones, then of a screen before
        them, as ``paintEvent`` would (same keys): ``AHEAD_BUDGET_S`` per turn, then again in
        the next turn. Nothing is drawn."""
        model = self.model()
        if model is None:
            return
        views = model.row_views
        shown = self.viewport().rect()
        first, last = self.rowAt(shown.top()), self.rowAt(shown.bottom())
        if first < 0:
            return
        last = model.rowCount() - 1 if last < 0 else last
        grid = 1 if self.showGrid() else 0
        columns = self._columns_in(shown.left(), shown.right(), grid)
        if not columns:
            return
        span = last - first + 1
        loaded = len(views)  # rows after it are placeholders: their page is on its way
        low, high = max(0, first - span), last + span
        done = self._ahead_done
        if done is not None and done[0] != columns:
            done = None
        rows = [row for row in (*range(last + 1, high + 1), *range(low, first))
                if row < loaded and (done is None or not done[1] <= row <= done[2])]
        margin, icon_size, icon_column, detail = self.margin, self.ICON, self.ICON_COLUMN, self.detail_column
        detail_width = columns[-1][1] + columns[-1][2] + grid - columns[0][1] - 2 * margin  # as paintEvent's
        laid_out = self._laid_out
        deadline = time.perf_counter() + self.AHEAD_BUDGET_S
        for row in rows:
            display, _tips, icon, _colours, bold = views[row]
            cells = []
            for col, x, width in columns:
                left = x + margin
                if icon is not None and col == icon_column:
                    left += icon_size + margin
                text = display[col] if col < len(display) else ""
                if text:
                    cells.append((text, x + width - 1 - margin - left, col in bold))
            if detail is not None and display[detail]:
                cells.append((display[detail], detail_width, False))
            new = [cell for cell in cells if cell not in laid_out]
            for cell in new:
                self._lay_out(cell)
            if new and time.perf_counter() > deadline:  # rows laid out before cost nothing
                self._ahead.start()  # type: ignore[union-attr] - only armed when there is one
                return
        self._ahead_done = (columns, low, min(high, loaded - 1))

    def bold_font(self) -> tuple[QFont, QFontMetrics]:
        """The view's font in bold, and its metrics (made once per font)."""
        if self._bold is None:
            font = QFont(self.font())
            font.setBold(True)
            self._bold = (font, QFontMetrics(font))
        return self._bold

    def _lay_out(self, key: tuple[str, int, bool]) -> tuple[QStaticText, int]:
        """The text elided to the width and laid out once (``QStaticText``): ``drawText`` shaped
        the Chinese text again on every paint, ~15 µs a cell."""
        laid_out = self._laid_out
        if len(laid_out) >= self.LAID_OUT_MAX:
            # the oldest one goes: a clear() of 20,000 QStaticText held the GUI thread ~50 ms in
            # the middle of a scroll (an OrderedDict: a plain dict's first item is found by
            # skipping the deleted ones before it)
            laid_out.popitem(last=False)
        text, width, heavy = key
        font, metrics = self.bold_font() if heavy else (self.font(), self.fontMetrics())
        static = QStaticText(metrics.elidedText(text, _ELIDE_RIGHT, width))
        static.setTextFormat(Qt.TextFormat.PlainText)  # a citizen's "<b>" is text, not markup
        static.prepare(QTransform(), font)
        laid = self._laid_out[key] = (static, round(static.size().height()))
        return laid

    def _palette_colours(self) -> tuple[Any, ...]:
        pal = self.palette()
        option = QStyleOptionViewItem()
        option.initFrom(self)
        grid = self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
        # (cache key, selection brush, selected text, text, alternate rows' brush, grid colour):
        # made once per palette, so a cell tells the pen it needs by identity
        return (pal.cacheKey(), pal.brush(QPalette.ColorRole.Highlight),
                pal.color(QPalette.ColorRole.HighlightedText), pal.color(QPalette.ColorRole.Text),
                pal.brush(QPalette.ColorRole.AlternateBase), QColor.fromRgba(grid & 0xFFFFFFFF))


_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
_ALIGN = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
