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

from collections import OrderedDict
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QStaticText, QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHeaderView, QStyle, QStyleOptionViewItem, QTableView, QWidget,
)

NO_BOLD: frozenset[int] = frozenset()
_DISPLAY, _TOOLTIP, _DECORATION = (int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                                    Qt.ItemDataRole.DecorationRole))
_FOREGROUND, _FONT = int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole)


class RowView(NamedTuple):
    """One row as painted: made once, when the row arrives (on a worker for the ticket list)."""

    texts: tuple[str, ...]
    tips: dict[int, str]
    icon: QIcon | None
    #: text colour per column (the rest in the palette's text colour)
    brushes: dict[int, QBrush]
    bold: frozenset[int] = NO_BOLD

    def role(self, col: int, role: int, icon_column: int | None = None) -> Any:
        """What a model answers for this row's cell (``role`` as an int): painting does not ask,
        tooltips, accessibility and tests do."""
        if role == _DISPLAY:
            return self.texts[col] if 0 <= col < len(self.texts) else None
        if role == _TOOLTIP:
            return self.tips.get(col)
        if role == _DECORATION:
            return self.icon if col == icon_column else None
        if role == _FOREGROUND:
            return self.brushes.get(col)
        if role == _FONT and col in self.bold:
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
        return self.row_views[row].texts

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
        return self.row_views[index.row()].role(index.column(), int(role))


class PaintedRows(QTableView):
    """See the module's docstring. The model is any table model with a ``row_views`` list."""

    ICON = 16
    #: the column whose cells start with the row's icon
    ICON_COLUMN: int | None = None
    #: laid-out texts kept: a few screens of cells (a scroll paints new rows, rarely old ones)
    LAID_OUT_MAX = 5_000

    def __init__(self, parent: QWidget | None = None, row_height: int | None = 28,
                 laid_out_max: int | None = None, detail_column: int | None = None) -> None:
        """``row_height`` None: the font's line height and a little (twice with a detail line),
        following font changes. ``detail_column``: painted as a second line across the row, in
        its colour; its header section is hidden."""
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

    def placeholder(self) -> tuple[str, QColor] | None:
        """What a placeholder row shows in its first column, and in which colour."""
        return None

    def forget_layouts(self) -> None:
        """After a font or language change: texts are elided and laid out again."""
        self._laid_out.clear()
        self._bold = None

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
        columns = []
        for col in range(model.columnCount()):
            x, width = self.columnViewportPosition(col), self.columnWidth(col)
            if not self.isColumnHidden(col) and x + width > area.left() and x <= area.right():
                columns.append((col, x, width - grid))
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
        views = model.row_views
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
            display, _tips, icon, brushes, bold = views[row]
            pen: Any = None  # what the painter's pen was last set from (the brushes are shared)
            for col, x, width in columns:
                left = x + margin
                if icon is not None and col == icon_column:
                    icon.paint(painter, QRect(left, y + (line - icon_size) // 2, icon_size, icon_size))
                    left += icon_size + margin
                text = display[col] if col < len(display) else ""
                if not text:
                    continue
                heavy = col in bold
                cell = (text, x + width - 1 - margin - left, heavy)
                laid = laid_out.get(cell)
                if laid is None:
                    laid = self._lay_out(cell)
                want = highlighted_text if is_selected else brushes.get(col, text_colour)
                if want is not pen:
                    painter.setPen(want if want is highlighted_text or want is text_colour else want.color())
                    pen = want
                if heavy:  # drawStaticText lays out again unless the painter has the same font
                    painter.setFont(self.bold_font()[0])
                painter.drawStaticText(left, y + (line - laid[1]) // 2, laid[0])
                if heavy:
                    painter.setFont(self.font())
            if detail is not None and display[detail]:
                cell = (display[detail], right_edge - left_edge - 2 * margin, False)
                laid = laid_out.get(cell) or self._lay_out(cell)
                want = highlighted_text if is_selected else brushes.get(detail, text_colour)
                painter.setPen(want if want is highlighted_text or want is text_colour else want.color())
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
