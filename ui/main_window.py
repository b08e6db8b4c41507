"""The one window of a shift: agent bar on top, navigation on the left, the page in the middle,
the call pop on the right (beside the work, never over it), the status bar at the bottom.

Navigation shows only the pages the signed-in role may use and that exist: 工作台 (the intake,
for roles that take calls), 工单 (search, list and detail), 监控 (the wallboard, shift lead).
Keys: F5 accept the pop, Ctrl+N new intake, Ctrl+1…9 switch page, F2/F3/Ctrl+L agent state.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from hotline_desk.domain import Role
from ui.agent_bar import AgentBar
from ui.config import config_dir
from ui.context import DeskContext
from ui.messages import MessageBar
from ui.phone_bridge import PhoneBridge
from ui.pop import CallPop, PopCall
from ui.statusbar import DeskStatusBar

log = logging.getLogger(__name__)

KEY_NEW_INTAKE = QKeySequence("Ctrl+N")

INTAKE_ROLES = {Role.AGENT, Role.DISPATCHER, Role.SHIFT_LEAD}
TICKET_ROLES = {Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK, Role.SHIFT_LEAD,
                Role.ANALYST, Role.ADMIN, Role.UNIT_LIAISON}
WALLBOARD_ROLES = {Role.SHIFT_LEAD}


@dataclass(frozen=True)
class PageSpec:
    key: str
    title_zh: str
    glyph: str
    roles: frozenset[Role]
    build: Callable[[DeskContext, "MainWindow"], QWidget]


def _intake(ctx: DeskContext, win: "MainWindow") -> QWidget:
    from ui.intake import IntakePage

    return IntakePage(ctx)


def _tickets(ctx: DeskContext, win: "MainWindow") -> QWidget:
    from ui.tickets import TicketsPage

    return TicketsPage(ctx)


def _wallboard(ctx: DeskContext, win: "MainWindow") -> QWidget:
    from ui.wallboard import Wallboard

    return Wallboard(ctx)


PAGES = (
    PageSpec("workbench", QT_TRANSLATE_NOOP("MainWindow", "工作台"), "☎", frozenset(INTAKE_ROLES), _intake),
    PageSpec("tickets", QT_TRANSLATE_NOOP("MainWindow", "工单"), "☰", frozenset(TICKET_ROLES), _tickets),
    PageSpec("wallboard", QT_TRANSLATE_NOOP("MainWindow", "监控"), "▦", frozenset(WALLBOARD_ROLES), _wallboard),
)


class MainWindow(QMainWindow):
    """``sign_out_requested()`` when the agent signs out; the root tears the session down."""

    sign_out_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(self, ctx: DeskContext, bridge: PhoneBridge | None, *,
                 simulated: bool = False, pages: tuple[PageSpec, ...] = PAGES) -> None:
        super().__init__()
        self.ctx = ctx
        self.bridge = bridge
        self._closing_ok = False
        who = getattr(ctx.actor, "display_name", "")
        self.setWindowTitle(self.tr("上饶市长热线 12345 坐席桌面") + (f" — {who}" if who else ""))
        self.setMinimumSize(1200, 700)

        # the pop first: slots run in the order they were connected, so a ring starts the
        # caller's history query before the agent bar and the rest redraw
        self.pop = CallPop(ctx, on_accept=self.accept_call)
        if bridge is not None:
            self.pop.bind(bridge)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.agent_bar = AgentBar(ctx, bridge)
        outer.addWidget(self.agent_bar)
        self.message_bar = MessageBar()
        outer.addWidget(self.message_bar)
        ctx.ops.notice.connect(self.message_bar.show_message)
        if bridge is not None:
            bridge.notice.connect(self.message_bar.show_message)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self.nav)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.stack = QStackedWidget()
        self.splitter.addWidget(self.stack)
        self.pop.setMinimumWidth(300)
        self.splitter.addWidget(self.pop)
        # the pop keeps its place between calls (ui/pop.py); the work gets what the window grows by
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([1000, 300])  # until shown: then restore_layout()
        body.addWidget(self.splitter, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status = DeskStatusBar(self, pbx_configured=bridge is not None, simulated=simulated,
                                    database_label=self.tr("内置") if ctx.settings is not None and
                                    ctx.settings.embedded_database else "")
        self.setStatusBar(self.status)
        ctx.ops.busy.connect(self.status.on_busy)
        if bridge is not None:
            bridge.link_changed.connect(self.status.on_link)
            if bridge.link is not None:
                self.status.on_link(bridge.link)

        self.pages: dict[str, QWidget] = {}
        self.page_keys: list[str] = []
        roles = set(getattr(ctx.actor, "roles", ()) or ())
        for spec in pages:
            if not roles & spec.roles:
                continue
            widget = spec.build(ctx, self)
            self.pages[spec.key] = widget
            self.page_keys.append(spec.key)
            self.stack.addWidget(widget)
            item = QListWidgetItem(f"{spec.glyph}  {self.tr(spec.title_zh)}")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self._fit_nav()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        if self.page_keys:
            self.nav.setCurrentRow(0)
        ctx.open_ticket = self.open_ticket

        self.addAction(self.pop.accept_action)
        self.new_intake_action = self._action(KEY_NEW_INTAKE, self.new_intake)
        for i in range(min(9, len(self.page_keys))):
            self._action(QKeySequence(f"Ctrl+{i + 1}"), lambda _=False, k=self.page_keys[i]: self.show_page(k))
        self._build_menu()

    def _fit_nav(self) -> None:
        """Wide enough for the longest page name in bold (selected), in any language."""
        font = self.nav.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())),
                     default=60)
        self.nav.setFixedWidth(widest + 40)

    def _action(self, key: QKeySequence, slot: Any) -> QAction:
        act = QAction(self)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_menu(self) -> None:
        desk = self.menuBar().addMenu(self.tr("坐席(&D)"))
        a = desk.addAction(self.tr("新建受理单"))
        a.setShortcut(KEY_NEW_INTAKE)
        a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the window action holds the key
        a.triggered.connect(self.new_intake)
        desk.addAction(self.tr("设置…"), self.settings_requested.emit)
        desk.addSeparator()
        desk.addAction(self.tr("注销"), self.sign_out)
        desk.addAction(self.tr("退出"), self.quit_requested.emit)
        keys = self.menuBar().addMenu(self.tr("快捷键(&K)"))
        for text in (self.tr("F2 就绪　F3 暂停（所选原因）　Ctrl+L 签入/签出队列"),
                     self.tr("F5 受理来电弹屏　Ctrl+N 新建受理单"),
                     self.tr("Ctrl+1…9 切换页面　Ctrl+R 刷新工单列表")):
            act = keys.addAction(text)
            act.setEnabled(False)

    # -- navigation ---------------------------------------------------------------------
    def show_page(self, key: str) -> QWidget | None:
        if key not in self.pages:
            return None
        self.nav.setCurrentRow(self.page_keys.index(key))
        return self.pages[key]

    @property
    def intake(self) -> Any:
        return self.pages.get("workbench")

    @Slot()
    def new_intake(self) -> None:
        page = self.show_page("workbench")
        if page is not None:
            page.new_intake()

    def open_ticket(self, ticket_id: Any) -> None:
        page = self.show_page("tickets")
        if page is not None:
            page.open_ticket(ticket_id)

    @Slot(object)
    def accept_call(self, call: PopCall) -> None:
        """F5 on the pop: the intake starts a ticket for this call (number, 电话, time, call ref)."""
        page = self.show_page("workbench")
        if page is None:
            self.ctx.notify(self.tr("您的角色不能受理来电登记"), "warning")
            return
        page.start_from_call(call.offered.caller_number, call.offered.call_id, call.offered.at,
                             call.known_name(self.ctx.actor))

    # -- leaving ------------------------------------------------------------------------
    @Slot()
    def sign_out(self) -> None:
        self.sign_out_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing the window ends the session through the root (AMI logoff, drafts saved)."""
        if self._closing_ok:
            event.accept()
            return
        event.ignore()
        self.sign_out_requested.emit()

    # -- the window's place and the pop's width, kept on this machine across sign-ins --------
    def restore_layout(self) -> None:
        """Show the window where and as large as it was last, the pop as wide as the agent left
        it. The first time on this machine: the whole screen (1366×768 on a smaller one), and the
        pop ``POP_SHARE`` of the width, at least its minimum (a fixed 300 px left the pop's 诉求
        column off screen on a 1920 px screen)."""
        saved = _layout_settings()
        geometry = saved.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            if screen.width() > 1366 and screen.height() > 768:
                self.setGeometry(screen)  # a desk used all day: the whole screen, from the start
            else:
                self.resize(1366, 768)
        self.show()
        total = sum(self.splitter.sizes())
        pop = max(self.pop.minimumWidth(), saved.value("window/pop_width", 0, type=int) or round(total * POP_SHARE))
        self.splitter.setSizes([total - pop, pop])  # the splitter keeps the work's minimum width

    def save_layout(self) -> None:
        saved = _layout_settings()
        saved.setValue("window/geometry", self.saveGeometry())
        saved.setValue("window/pop_width", self.splitter.sizes()[1])
        saved.sync()

    def close_for_good(self) -> None:
        self.save_layout()
        self._closing_ok = True
        for page in self.pages.values():
            page.close()
        self.close()


#: the pop's share of the work area's width the first time the desk is shown on a machine
POP_SHARE = 0.24


def _layout_settings() -> QSettings:
    """Where the window was and how wide the agent left the pop: this machine's, beside the
    config file (an ini file: readable, and no registry on Windows)."""
    return QSettings(str(config_dir() / "desk-layout.ini"), QSettings.Format.IniFormat)
