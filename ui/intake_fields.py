"""Field widgets of the intake that need more than a plain Qt widget: the subject picker that
matches characters and pinyin initials, and the district → township cascade.

Why local matching: the taxonomy is a few hundred nodes, loaded once per shift; matching it on
the GUI thread per keystroke costs microseconds, while a round trip to the core per keystroke
would make the completer lag behind a fast typist.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from hotline_desk.domain import District, SubjectNode
from ui.ticket_common import pinyin_keys

SUBJECT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MATCH_KEY_ROLE = Qt.ItemDataRole.UserRole + 2


def flatten_subjects(roots: Iterable[SubjectNode]) -> list[SubjectNode]:
    """Every node that can be chosen: the leaves (a ticket is classified as precisely as the
    taxonomy allows); a root without children counts as a leaf."""
    leaves: list[SubjectNode] = []

    def walk(node: SubjectNode) -> None:
        if node.children:
            for child in node.children:
                walk(child)
        else:
            leaves.append(node)

    for root in roots:
        walk(root)
    return leaves


class _PathCompleter(QCompleter):
    """Matches on the hidden key (characters + pinyin), inserts the readable path."""

    def pathFromIndex(self, index: QModelIndex) -> str:  # noqa: N802 - Qt override
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        return [path.strip().lower()]


class SubjectPicker(QLineEdit):
    """事项分类: type 物业 / wy / wuye and pick 城乡建设 › 物业管理 with ↓ and Enter."""

    subject_changed = Signal(object)  # int | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("输入汉字或拼音首字母，如 wy → 物业管理"))
        self._model = QStandardItemModel(self)
        self._by_path: dict[str, int] = {}
        self._path_by_id: dict[int, str] = {}
        self._subject_id: int | None = None
        completer = _PathCompleter(self._model, self)
        completer.setCompletionRole(MATCH_KEY_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.activated[QModelIndex].connect(self._picked)
        self.setCompleter(completer)
        self.textEdited.connect(self._typed)

    def set_subjects(self, roots: Iterable[SubjectNode]) -> None:
        self._model.clear()
        self._by_path.clear()
        self._path_by_id.clear()
        for node in flatten_subjects(roots):
            path = node.path or node.name
            item = QStandardItem(path)
            item.setData(node.id, SUBJECT_ID_ROLE)
            key = f"{pinyin_keys(node.name)} {path} {node.initials.lower()}"
            item.setData(key, MATCH_KEY_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
            self._by_path[path] = node.id
            self._path_by_id[node.id] = path
        if self._subject_id is not None:
            self.set_subject_id(self._subject_id)

    def matches(self, text: str) -> list[str]:
        """The paths the completer offers for ``text`` (what the popup would list)."""
        completer = self.completer()
        completer.setCompletionPrefix(text.strip().lower())
        model = completer.completionModel()
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    @property
    def subject_id(self) -> int | None:
        return self._subject_id

    def path_of(self, subject_id: int | None) -> str:
        return self._path_by_id.get(subject_id, "") if subject_id is not None else ""

    def set_subject_id(self, subject_id: int | None, text: str = "") -> None:
        self._subject_id = subject_id
        path = self.path_of(subject_id) or text
        self.setText(path)
        self.subject_changed.emit(subject_id)

    def choose(self, path: str) -> None:
        """Pick a subject by its path, as the popup does (used when restoring and in tests)."""
        self.set_subject_id(self._by_path.get(path), path)

    def _picked(self, index: QModelIndex) -> None:
        self._subject_id = index.data(SUBJECT_ID_ROLE)
        self.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
        self.subject_changed.emit(self._subject_id)

    def _typed(self, text: str) -> None:
        # Typing invalidates the choice unless the text is exactly a subject's path.
        new_id = self._by_path.get(text.strip())
        if new_id != self._subject_id:
            self._subject_id = new_id
            self.subject_changed.emit(new_id)


class DistrictPicker(QComboBox):
    """县市区: the district list of Shangrao; type the first characters to jump."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._districts: dict[str, District] = {}

    def set_districts(self, districts: Iterable[District]) -> None:
        keep = self.code
        self.blockSignals(True)
        self.clear()
        self._districts.clear()
        self.addItem(self.tr("请选择县市区"), "")
        for d in districts:
            self._districts[d.code] = d
            self.addItem(d.name, d.code)
        self.blockSignals(False)
        self.set_code(keep)

    @property
    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code) if code else 0
        self.setCurrentIndex(max(index, 0))

    def townships(self) -> tuple[str, ...]:
        d = self._districts.get(self.code)
        return d.townships if d else ()


class TownshipPicker(QComboBox):
    """乡镇/街道 of the chosen district; editable so a place not in the list can still be typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(self.tr("乡镇 / 街道"))
        self.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def set_townships(self, names: Iterable[str]) -> None:
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        self.addItems(list(names))
        self.setCurrentIndex(-1)
        self.setEditText(text if text in names else "")
        self.blockSignals(False)

    @property
    def township(self) -> str:
        return self.currentText().strip()
