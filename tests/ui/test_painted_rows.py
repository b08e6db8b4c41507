"""The self-painting rows view shared by the ticket list and the pop (ui/painted_rows.py)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ui.painted_rows import PaintedRows, RowsModel, RowView

pytestmark = pytest.mark.gui


def rows_view(qtbot, **kwargs):
    model = RowsModel(["工单编号", "状态"])
    model.set_rows([(RowView((f"SR20261126-0000{i}", "已转办"), {0: "提示"}, None, {}, frozenset({1})), i)
                    for i in range(3)])
    view = PaintedRows(**kwargs)
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    qtbot.waitExposed(view)
    return view, model


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
    model.insert_first(RowView(("SR20261126-00009", "已登记"), {}, None, {}), 9, keep=3)
    assert [model.texts(r)[0][-1] for r in range(model.rowCount())] == ["9", "0", "1"]


def test_a_detail_column_is_painted_as_each_rows_second_line(qtbot):
    """The pop's 诉求: a line of its own under the number, status and due date, not a column
    off the edge of a narrow pop."""
    model = RowsModel(["工单编号", "诉求"])
    model.set_rows([(RowView(("SR20261126-00001", "小区门口路灯不亮已经一个月"), {}, None, {}), 1)])
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
