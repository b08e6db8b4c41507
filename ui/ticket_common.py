"""Small pieces the ticket screens share: how a date, a due date and a status are shown, the
inline field-error label, and the pinyin keys the completers match on.

Why here: the intake, the dispatch panel, the list and the detail must say "已超期" the same way
(a word and an icon as well as colour — colour is never the only signal, DESIGN.md).
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QStyle, QWidget

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: calm colours: a muted red / amber / green, readable on white and not alarming for 8 hours
COLOUR_OVERDUE = "#b3261e"
COLOUR_DUE_SOON = "#8a5a00"
COLOUR_OK = "#2e6b30"
COLOUR_MUTED = "#5f6368"

#: the core's Chinese labels of the enums the ticket screens show (category, channel, status,
#: urgency, dispatch mode, satisfaction, supervision kind, reply method, lead/co, action), listed
#: so lupdate extracts them; tests/ui/test_i18n_tickets.py checks the list is complete
_LABELS = (
    QT_TRANSLATE_NOOP("Label", "咨询"), QT_TRANSLATE_NOOP("Label", "投诉"),
    QT_TRANSLATE_NOOP("Label", "建议"), QT_TRANSLATE_NOOP("Label", "求助"),
    QT_TRANSLATE_NOOP("Label", "电话"), QT_TRANSLATE_NOOP("Label", "网站"),
    QT_TRANSLATE_NOOP("Label", "手机应用"), QT_TRANSLATE_NOOP("Label", "微信"),
    QT_TRANSLATE_NOOP("Label", "信件"), QT_TRANSLATE_NOOP("Label", "已登记"),
    QT_TRANSLATE_NOOP("Label", "不予受理"), QT_TRANSLATE_NOOP("Label", "当场解答"),
    QT_TRANSLATE_NOOP("Label", "已转办"), QT_TRANSLATE_NOOP("Label", "办理中"),
    QT_TRANSLATE_NOOP("Label", "已退单"), QT_TRANSLATE_NOOP("Label", "已答复"),
    QT_TRANSLATE_NOOP("Label", "待回访"), QT_TRANSLATE_NOOP("Label", "已办结"),
    QT_TRANSLATE_NOOP("Label", "一般"), QT_TRANSLATE_NOOP("Label", "紧急"),
    QT_TRANSLATE_NOOP("Label", "直接转办"), QT_TRANSLATE_NOOP("Label", "联合转办"),
    QT_TRANSLATE_NOOP("Label", "交办"), QT_TRANSLATE_NOOP("Label", "满意"),
    QT_TRANSLATE_NOOP("Label", "基本满意"), QT_TRANSLATE_NOOP("Label", "不满意"),
    QT_TRANSLATE_NOOP("Label", "未联系上"), QT_TRANSLATE_NOOP("Label", "电话督办"),
    QT_TRANSLATE_NOOP("Label", "书面督办"), QT_TRANSLATE_NOOP("Label", "实地督办"),
    QT_TRANSLATE_NOOP("Label", "书面反馈"), QT_TRANSLATE_NOOP("Label", "电话反馈"),
    QT_TRANSLATE_NOOP("Label", "网络反馈"), QT_TRANSLATE_NOOP("Label", "主办"),
    QT_TRANSLATE_NOOP("Label", "协办"), QT_TRANSLATE_NOOP("Label", "登记"),
    QT_TRANSLATE_NOOP("Label", "转办"), QT_TRANSLATE_NOOP("Label", "签收"),
    QT_TRANSLATE_NOOP("Label", "退单"), QT_TRANSLATE_NOOP("Label", "申请延期"),
    QT_TRANSLATE_NOOP("Label", "审批延期"), QT_TRANSLATE_NOOP("Label", "答复"),
    QT_TRANSLATE_NOOP("Label", "审核答复"), QT_TRANSLATE_NOOP("Label", "回访"),
    QT_TRANSLATE_NOOP("Label", "督办"), QT_TRANSLATE_NOOP("Label", "告知群众"),
)


def label_of(member: Any) -> str:
    """An enum member's label in the desk's language (the core only knows the Chinese one)."""
    return QCoreApplication.translate("Label", member.label_zh)


def local(dt: datetime | None) -> datetime | None:
    """An aware timestamp in Shanghai time (naive ones are taken as already local)."""
    if dt is None:
        return None
    return dt.astimezone(SHANGHAI) if dt.tzinfo else dt


# f-strings, not strftime: these run for every row of every page the ticket list receives, and
# strftime is ~3× slower here (it goes through the locale machinery on each call)
def fmt_dt(dt: datetime | None) -> str:
    dt = local(dt)
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d}" if dt else ""


def fmt_date(d: date | None) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d else ""


_WEEKDAYS = (
    QT_TRANSLATE_NOOP("TicketCommon", "周一"),
    QT_TRANSLATE_NOOP("TicketCommon", "周二"),
    QT_TRANSLATE_NOOP("TicketCommon", "周三"),
    QT_TRANSLATE_NOOP("TicketCommon", "周四"),
    QT_TRANSLATE_NOOP("TicketCommon", "周五"),
    QT_TRANSLATE_NOOP("TicketCommon", "周六"),
    QT_TRANSLATE_NOOP("TicketCommon", "周日"),
)


def fmt_date_long(d: date | None) -> str:
    """``2026年12月09日（周三）`` — how a due date is read out to a citizen."""
    if d is None:
        return ""
    weekday = QCoreApplication.translate("TicketCommon", _WEEKDAYS[d.weekday()])
    return QCoreApplication.translate("TicketCommon", "{y}年{m:02d}月{d:02d}日（{w}）").format(
        y=d.year, m=d.month, d=d.day, w=weekday)


def due_state(overdue: bool, due_soon: bool) -> tuple[str, str, QStyle.StandardPixmap | None]:
    """(word, colour, icon) for a deadline: overdue / due soon / nothing to say."""
    if overdue:
        return (QCoreApplication.translate("TicketCommon", "已超期"), COLOUR_OVERDUE,
                QStyle.StandardPixmap.SP_MessageBoxCritical)
    if due_soon:
        return (QCoreApplication.translate("TicketCommon", "即将到期"), COLOUR_DUE_SOON,
                QStyle.StandardPixmap.SP_MessageBoxWarning)
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
