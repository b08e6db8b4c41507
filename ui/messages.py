"""The desk's message bar: a calm, non-modal strip above the work area.

Operations (``ui.ops``) and the crash guard report here instead of opening a modal box: an
agent on a call must never have to click a dialog away to keep typing. A message says what
happened and what to do; warnings and errors stay until closed (or replaced), information fades
after a few seconds. The level is a word and an icon as well as a colour (DESIGN.md).
"""
from __future__ import annotations

from collections import deque

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

_LEVEL = {
    # level: (icon glyph, object name used by the stylesheet)
    "info": ("ℹ", "msgInfo"),
    "warning": ("⚠", "msgWarning"),
    "error": ("✖", "msgError"),
}


def _level_word(level: str) -> str:
    words = {
        "info": QCoreApplication.translate("MessageBar", "提示"),
        "warning": QCoreApplication.translate("MessageBar", "注意"),
        "error": QCoreApplication.translate("MessageBar", "错误"),
    }
    return words.get(level, words["info"])


class MessageBar(QFrame):
    """Shows the latest message; remembers the last few for the status bar's history tooltip."""

    INFO_MS = 6000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("msgInfo")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never takes focus from the form
        self.history: deque[tuple[str, str]] = deque(maxlen=20)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 6, 4)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip(self.tr("关闭此消息"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.icon)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.close_button)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self.hide)
        self.level = "info"
        self.hide()

    @Slot(str, str)
    def show_message(self, level: str, text: str) -> None:
        glyph, name = _LEVEL.get(level, _LEVEL["info"])
        self.level = level if level in _LEVEL else "info"
        self.history.append((self.level, text))
        self.setObjectName(name)
        self.style().unpolish(self)
        self.style().polish(self)
        self.icon.setText(f"{glyph} {_level_word(self.level)}")
        self.text.setText(text)
        self.show()
        if self.level == "info":
            self._fade.start(self.INFO_MS)
        else:
            self._fade.stop()
