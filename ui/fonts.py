"""CJK font choice: the desk's text is Chinese, and a font without Chinese glyphs shows boxes.

The first installed family from a list that covers Simplified Chinese wins (Windows: Microsoft
YaHei; Kylin/UOS/Debian: Noto Sans CJK SC or WenQuanYi), at no less than 10 pt (DESIGN.md).
If none is installed, Qt's font database is asked for any family with Simplified Chinese glyphs.
"""
from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

PREFERRED_FAMILIES = (
    "Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC", "Noto Sans SC", "SimHei",
)
MIN_POINT_SIZE = 10


def pick_cjk_family() -> str | None:
    """The family the desk uses, or None if the machine has no Chinese font at all."""
    installed = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in installed:
            return family
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return family
    return None


def apply_desk_font(app: QApplication, point_size: int = 11) -> QFont:
    """Set the application font (``desk_font``)."""
    font = desk_font(point_size, app.font())
    app.setFont(font)
    return font


def desk_font(point_size: int = 11, base: QFont | None = None) -> QFont:
    """``base`` (default: the application's font) in the CJK family at ``point_size`` (at least
    ``MIN_POINT_SIZE``); logs a loud warning when no CJK font exists (text would be boxes)."""
    family = pick_cjk_family()
    font = QFont(base if base is not None else QApplication.font())
    if family:
        font.setFamilies([family])
    else:
        log.warning("no font with Simplified Chinese glyphs is installed; Chinese text will show as "
                    "boxes (install fonts-noto-cjk or fonts-wqy-microhei)")
    font.setPointSize(max(MIN_POINT_SIZE, point_size))
    return font
