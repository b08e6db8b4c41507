"""Small pieces the ticket screens share: how a date, a due date and a status are shown, the
inline field-error label, and the pinyin keys the completers match on.

Why here: the intake, the dispatch panel, the list and the detail must say "已超期" the same way
(a word and an icon as well as colour — colour is never the only signal, DESIGN.md).
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QStyle, QWidget

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: calm colours: a muted red / amber / green, readable on white and not alarming for 8 hours
COLOUR_OVERDUE = "#b3261e"
COLOUR_DUE_SOON = "#8a5a00"
COLOUR_OK = "#2e6b30"
COLOUR_MUTED = "#5f6368"


def local(dt: datetime | None) -> datetime | None:
    """An aware timestamp in Shanghai time (naive ones are taken as already local)."""
    if dt is None:
        return None
    return dt.astimezone(SHANGHAI) if dt.tzinfo else dt


def fmt_dt(dt: datetime | None) -> str:
    dt = local(dt)
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


def fmt_date(d: date | None) -> str:
    return d.strftime("%Y-%m-%d") if d else ""


_WEEKDAYS = "一二三四五六日"


def fmt_date_long(d: date | None) -> str:
    """``2026年12月09日（周三）`` — how a due date is read out to a citizen."""
    if d is None:
        return ""
    return f"{d.year}年{d.month:02d}月{d.day:02d}日（周{_WEEKDAYS[d.weekday()]}）"


def due_state(overdue: bool, due_soon: bool) -> tuple[str, str, QStyle.StandardPixmap | None]:
    """(word, colour, icon) for a deadline: overdue / due soon / nothing to say."""
    if overdue:
        return "已超期", COLOUR_OVERDUE, QStyle.StandardPixmap.SP_MessageBoxCritical
    if due_soon:
        return "即将到期", COLOUR_DUE_SOON, QStyle.StandardPixmap.SP_MessageBoxWarning
    return "", COLOUR_OK, None


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> str:
    """What a completer matches on: the characters, the pinyin initials and the full pinyin.

    ``物业管理`` → ``物业管理 wygl wuyeguanli`` so an agent may type 物业, wy or wuye."""
    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER) if p)
    full = "".join(lazy_pinyin(text))
    return f"{text} {initials.lower()} {full.lower()}"


class FieldError(QLabel):
    """The Chinese message under a field that is wrong; hidden when the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {COLOUR_OVERDUE};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()

    def show_error(self, message: str) -> None:
        if message:
            self.setText("⚠ " + message)
            self.show()
        else:
            self.clear()
            self.hide()

    @property
    def message(self) -> str:
        return self.text()[2:] if self.isVisible() or self.text() else ""


def big_font(widget: QWidget, factor: float = 1.8, bold: bool = True) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
