"""The self-painting rows view shared by the ticket list and the pop (ui/painted_rows.py)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ui.painted_rows import PaintedRows, RowsModel, row_view

pytestmark = pytest.mark.gui


def rows_view(qtbot, **kwargs):
    model = RowsModel(["工单编号", "状态"])
    model.set_rows([(row_view((f"SR20261126-0000{i}", "已转办"), {0: "提示"}, None, {}, (1,)), i)
                    for i in range(3)])
    return shown(qtbot, model, size=(400, 200), **kwargs), model


def test_a_font_change_lays_the_texts_out_again_and_the_rows_follow_it(qtbot):
    """The desk's font size is a setting: texts laid out in the old size must not be drawn."""
    view, _model = rows_view(qtbot, row_height=None)
    view.viewport().grab()
    before = {key: laid[1] for key, laid in view._laid_out.items()}
    assert before and view.rowHeight(0) >= view.fontMetrics().height() + 2
    row_height = view.rowHeight(0)
    bigger = QFont(view.font())
    bigger.setPointSizeF(bigger.pointSizeF() * 2)
    view.setFont(bigger)
    assert not view._laid_out
    assert view.rowHeight(0) > row_height
    view.viewport().grab()
    after = {key: laid[1] for key, laid in view._laid_out.items()}
    assert after.keys() == before.keys()
    assert all(after[key] > before[key] for key in after)  # laid out in the bigger font


def test_the_model_serves_every_role_the_view_paints(qtbot):
    """Painting skips the model, but tooltips, accessibility and tests ask it."""
    _view, model = rows_view(qtbot)
    index = model.index(1, 1)
    assert index.data() == "已转办" and model.index(1, 0).data() == "SR20261126-00001"
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "提示"
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert index.data(Qt.ItemDataRole.UserRole) == 1
    model.insert_first(row_view(("SR20261126-00009", "已登记"), {}, None, {}), 9, keep=3)
    assert [model.texts(r)[0][-1] for r in range(model.rowCount())] == ["9", "0", "1"]


def test_a_detail_column_is_painted_as_each_rows_second_line(qtbot):
    """The pop's 诉求: a line of its own under the number, status and due date, not a column
    off the edge of a narrow pop."""
    model = RowsModel(["工单编号", "诉求"])
    model.set_rows([(row_view(("SR20261126-00001", "小区门口路灯不亮已经一个月"), {}, None, {}), 1)])
    view = PaintedRows(row_height=None, detail_column=1)
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    assert view.isColumnHidden(1)
    line = view.fontMetrics().height() + 2
    assert view.rowHeight(0) >= 2 * line
    shot = view.viewport().grab().toImage()
    background = shot.pixelColor(shot.width() - 2, 2)

    def inked(top, bottom):
        return sum(shot.pixelColor(x, y) != background for x in range(2, shot.width() - 2) for y in range(top, bottom))

    half = view.rowHeight(0) // 2
    assert inked(2, half - 1) > 20  # the number
    assert inked(half + 1, view.rowHeight(0) - 1) > 20  # the 诉求 under it


def shown(qtbot, model, size=(500, 300), **kwargs) -> PaintedRows:
    """A view of ``model``, shown and painted once (offscreen, a view is painted when grabbed)."""
    view = PaintedRows(**kwargs)
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().grab()
    return view


def many_rows(n: int = 200) -> RowsModel:
    model = RowsModel(["工单编号", "状态", "诉求"])
    model.set_rows([(row_view((f"SR20261126-{i:05d}", "已转办" if i % 3 else "待回访", f"第{i}件：路灯不亮"), {},
                             None, {}, (1,)), i) for i in range(n)])
    return model


def test_the_rows_next_to_the_screen_are_laid_out_before_a_scroll_shows_them(qtbot, monkeypatch):
    """``lay_out_ahead``: between paints the view lays out a screen of rows below (and above)
    the shown ones, so a scroll step's paint lays out nothing — and draws the same pixels."""
    views = [shown(qtbot, many_rows(), lay_out_ahead=ahead) for ahead in (True, False)]
    ahead_view, plain_view = views
    qtbot.waitUntil(lambda: not ahead_view._ahead.isActive(), timeout=2000)
    after_screen = ahead_view.rowAt(ahead_view.viewport().height() - 1) + 1
    below = ahead_view.model().texts(after_screen + 3)[0]
    assert any(key[0] == below for key in ahead_view._laid_out)
    assert not any(key[0] == below for key in plain_view._laid_out)  # painting alone does not

    made = []
    original = PaintedRows._lay_out
    monkeypatch.setattr(PaintedRows, "_lay_out", lambda self, key: made.append((self, key)) or original(self, key))
    pixels = []
    for view in views:
        view.verticalScrollBar().setValue(6)  # a scroll step of six rows
        pixels.append(view.viewport().grab().toImage())
    assert [key for v, key in made if v is ahead_view] == []
    assert [key for v, key in made if v is plain_view]  # without it the paint lays them out
    assert pixels[0] == pixels[1]


def test_laying_out_ahead_keeps_to_its_budget_per_turn(qtbot, monkeypatch):
    """With no time left the pass stops after a row and takes it up in the next turn."""
    monkeypatch.setattr(PaintedRows, "AHEAD_BUDGET_S", 0.0)
    view = shown(qtbot, many_rows(), lay_out_ahead=True)
    view._ahead.stop()
    before = len(view._laid_out)
    view._lay_out_ahead()
    assert 0 < len(view._laid_out) - before <= 3  # one row's texts (number, status, 诉求)
    assert view._ahead.isActive()  # the rest in the next turn
    last_row = view.rowAt(view.viewport().height() - 1)
    far = view.model().texts(2 * last_row)[0]
    qtbot.waitUntil(lambda: any(key[0] == far for key in view._laid_out), timeout=2000)


class WaitingRows(RowsModel):
    """Rows whose last ``waiting`` are still on their way (the ticket list's placeholders)."""

    waiting = 50

    def rowCount(self, parent=None):  # noqa: N802
        return len(self.row_views) + self.waiting


def test_laying_out_ahead_skips_the_rows_still_on_their_way(qtbot):
    model = WaitingRows(["工单编号", "状态", "诉求"])
    model.set_rows([(row_view((f"SR20261126-{i:05d}", "已转办", "路灯不亮"), {}, None, {}), i) for i in range(40)])
    view = shown(qtbot, model, lay_out_ahead=True)
    view.verticalScrollBar().setValue(45)  # the screen shows placeholders; a screen above it is loaded
    view.viewport().grab()
    view._lay_out_ahead()  # raised IndexError on a placeholder row
    assert any(key[0] == "SR20261126-00039" for key in view._laid_out)


def test_rows_replaced_under_the_view_are_laid_out_ahead_again(qtbot):
    """A pass skips the rows the last one covered — until the model's rows change."""
    model = many_rows()
    view = shown(qtbot, model, lay_out_ahead=True)
    qtbot.waitUntil(lambda: not view._ahead.isActive(), timeout=2000)
    below = view.rowAt(view.viewport().height() - 1) + 3
    model.set_rows([(row_view((f"ZX20261127-{i:05d}", "已办结", "换了一批"), {}), i) for i in range(200)])
    view.viewport().grab()
    qtbot.waitUntil(lambda: not view._ahead.isActive(), timeout=2000)
    assert any(key[0] == model.texts(below)[0] for key in view._laid_out)
