"""The desk's stylesheet: calm, low-contrast surfaces, one accent, readable for an 8-hour shift.

Colour is never the only signal: every state that is coloured here also carries a word and an
icon glyph in the widget itself (the agent bar, the status bar, the pop).
"""
from __future__ import annotations

ACCENT = "#2f5d8a"       # muted blue: selection, primary buttons
SURFACE = "#f5f6f7"      # window background
PANEL = "#ffffff"
BORDER = "#d5d9de"
TEXT = "#1f2328"
MUTED = "#5f6368"
OK = "#2e6b30"
WARN = "#8a5a00"
BAD = "#b3261e"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {SURFACE}; }}
QWidget {{ color: {TEXT}; }}
QToolTip {{ color: {TEXT}; background: #fffbe6; border: 1px solid {BORDER}; }}

#agentBar {{ background: #e9eef3; border-bottom: 1px solid {BORDER}; }}
#agentBar QLabel#agentState {{ font-weight: bold; padding: 2px 8px; border-radius: 3px;
                               border: 1px solid {BORDER}; background: {PANEL}; }}
#agentBar QLabel#agentState[tone="ok"] {{ color: {OK}; border-color: {OK}; }}
#agentBar QLabel#agentState[tone="warn"] {{ color: {WARN}; border-color: {WARN}; }}
#agentBar QLabel#agentState[tone="bad"] {{ color: {BAD}; border-color: {BAD}; }}
#agentBar QLabel#linkState[tone="bad"] {{ color: {BAD}; font-weight: bold; }}
#agentBar QLabel#linkState[tone="warn"] {{ color: {WARN}; }}
#agentBar QLabel#linkState[tone="ok"] {{ color: {OK}; }}
#agentBar QLabel#callTimer {{ font-family: monospace; font-size: 13pt; }}

#navList {{ background: #eef1f4; border: none; border-right: 1px solid {BORDER}; outline: 0; }}
#navList::item {{ padding: 10px 14px; border-left: 3px solid transparent; }}
#navList::item:selected {{ background: {PANEL}; color: {ACCENT}; border-left: 3px solid {ACCENT};
                           font-weight: bold; }}

#popPanel {{ background: {PANEL}; border: 1px solid {BORDER}; }}
#popPanel QLabel#popTitle {{ font-size: 13pt; font-weight: bold; }}
#popPanel QLabel#popNumber {{ font-size: 16pt; font-weight: bold; }}
#popPanel QLabel#popRepeat {{ color: {BAD}; font-weight: bold; }}
#popPanel QLabel#popHint {{ color: {MUTED}; }}

#msgInfo {{ background: #e8f0f8; border: 1px solid #b9cde3; }}
#msgWarning {{ background: #fff4d6; border: 1px solid #e3c77a; }}
#msgError {{ background: #fbe3e1; border: 1px solid #e0a19b; }}

QStatusBar QLabel[tone="ok"] {{ color: {OK}; }}
QStatusBar QLabel[tone="warn"] {{ color: {WARN}; }}
QStatusBar QLabel[tone="bad"] {{ color: {BAD}; font-weight: bold; }}

QPushButton {{ padding: 4px 12px; border: 1px solid {BORDER}; border-radius: 3px; background: {PANEL}; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa0a6; background: #f0f1f2; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton#primary:disabled {{ background: #9fb3c8; color: #eef2f6; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    border: 1px solid {BORDER}; border-radius: 3px; padding: 3px; background: {PANEL}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {ACCENT}; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-bottom: 1px solid {BORDER};
                        padding: 4px; }}
/* no "background" here: a stylesheet background on a scroll area makes Qt repaint the whole
   viewport on every scroll step instead of moving it and painting the new rows (measured on the
   ticket list: 530 px and ~11-15 ms per step instead of 84 px and ~4 ms). The palette's Base
   colour is already white. */
QTableView, QTreeView, QListView {{ alternate-background-color: #f8f9fa;
                                    selection-background-color: #d6e4f0; selection-color: {TEXT}; }}
/* flat scroll bars: Fusion's drew gradients on every scroll step, 1.4 ms per paint of the ticket
   list's bar (12 % of the GUI thread while the list scrolled); these are plain fills, ~0.15 ms */
QScrollBar:vertical {{ background: #eef1f4; width: 12px; margin: 0; }}
QScrollBar:horizontal {{ background: #eef1f4; height: 12px; margin: 0; }}
QScrollBar::handle {{ background: #b9c0c8; border-radius: 4px; margin: 2px; }}
QScrollBar::handle:hover {{ background: #98a1ab; }}
QScrollBar::handle:pressed {{ background: {ACCENT}; }}
QScrollBar::handle:vertical {{ min-height: 32px; }}
QScrollBar::handle:horizontal {{ min-width: 32px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; background: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QGroupBox {{ border: 1px solid {BORDER}; border-radius: 4px; margin-top: 12px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {MUTED}; }}
"""
