"""The sign-in window: the first thing the desk shows, before anything heavy is imported.

It appears at once (cold start ≤ 1.5 s) while the composition root opens the database and the
PBX link in the background; the sign-in button becomes usable when the database is ready.
In demo mode (embedded database) the demo accounts are listed on the window.
"""
from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from hotline_desk.paths import resources_dir


def demo_accounts() -> list[dict]:
    """The demo staff (username, display name, roles, password) shipped in resources/."""
    try:
        return json.loads((resources_dir() / "demo_staff.json").read_text(encoding="utf-8"))["staff"]
    except (OSError, ValueError, KeyError):
        return []


_ROLE_ZH = {"agent": "接线员", "dispatcher": "派单员", "supervisor": "督办员", "callback": "回访员",
            "unit_liaison": "单位联络员", "shift_lead": "班长", "analyst": "数据分析员", "admin": "管理员"}


class SignInWindow(QWidget):
    """``submitted(username, password)``; ``settings_requested()``."""

    submitted = Signal(str, str)
    settings_requested = Signal()
    closed = Signal()

    def __init__(self, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("上饶市长热线 12345 — 坐席登录"))
        self.demo = demo
        self._ready = False
        self._busy = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        title = QLabel(self.tr("上饶市长热线 12345 坐席桌面"))
        title.setObjectName("popTitle")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        title.setFont(f)
        outer.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("工号 / 用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("用户名(&U)"), self.username)
        form.addRow(self.tr("密码(&P)"), self.password)
        outer.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        outer.addWidget(self.error)
        self.status = QLabel(self.tr("正在准备数据库…"))
        self.status.setWordWrap(True)
        self.status.setObjectName("popHint")
        outer.addWidget(self.status)
        buttons = QHBoxLayout()
        self.settings_button = QPushButton(self.tr("设置(&S)…"))
        self.sign_in_button = QPushButton(self.tr("登录"))
        self.sign_in_button.setObjectName("primary")
        self.sign_in_button.setDefault(True)
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        outer.addLayout(buttons)
        if demo:
            outer.addWidget(self._demo_box())
        outer.addStretch(1)
        self.settings_button.clicked.connect(self.settings_requested)
        self.sign_in_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.settings_button)
        self._update_button()
        self.resize(520, 560 if demo else 300)

    def _demo_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("msgInfo")
        lay = QVBoxLayout(box)
        lay.addWidget(QLabel(self.tr("演示模式：内置数据库 + 模拟电话系统。演示账号：")))
        rows = []
        for s in demo_accounts():
            roles = "、".join(_ROLE_ZH.get(r, r) for r in s.get("roles", []))
            rows.append(f"<tr><td><b>{s['username']}</b></td><td>{s.get('password', '')}</td>"
                        f"<td>{s.get('display_name', '')}</td><td>{roles}</td></tr>")
        heads = (self.tr("用户名"), self.tr("密码"), self.tr("姓名"), self.tr("角色"))
        table = QLabel("<table cellspacing=0 cellpadding=3><tr>"
                       + "".join(f"<th align=left>{h}</th>" for h in heads) + "</tr>"
                       + "".join(rows) + "</table>")
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(table)
        hint = QLabel(self.tr("新手请用 agent1 / demo-agent1 登录：一分钟内会有模拟来电弹屏。"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        if not self.username.text():
            self.username.setText("agent1")
        return box

    # -- state from the composition root -------------------------------------------------
    @Slot(str)
    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_ready(self, ready: bool, text: str = "") -> None:
        self._ready = ready
        if text:
            self.status.setText(text)
        self._update_button()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_button()

    def show_error(self, text: str) -> None:
        self.error.setText("✖ " + text)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()

    def _update_button(self) -> None:
        self.sign_in_button.setEnabled(self._ready and not self._busy)
        self.sign_in_button.setText(self.tr("正在登录…") if self._busy else self.tr("登录"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing the sign-in window (not hiding it after sign-in) ends the program."""
        event.accept()
        self.closed.emit()

    @Slot()
    def _submit(self) -> None:
        if not self._ready or self._busy:
            return
        user = self.username.text().strip()
        if not user or not self.password.text():
            self.show_error(self.tr("请输入用户名和密码"))
            return
        self.error.hide()
        self.submitted.emit(user, self.password.text())
