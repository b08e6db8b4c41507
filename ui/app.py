"""The composition root: builds the desk and runs it on the qasync loop (STYLE.md §3, §8).

``python -m ui`` (``scripts/run-desk``):

1. shows the sign-in window at once — only Qt and this package are imported before it is on
   screen (cold start ≤ 1.5 s); the core, SQLAlchemy and telephony load while it is showing;
2. opens the database (the embedded SQLite in the user's data folder unless the config file
   names a shared PostgreSQL); upgrades the schema of a SQLite file, only checks a shared
   database's (an administrator migrates it; a mismatch keeps sign-in closed, see
   ``ui.schema_gate``); seeds demo data on the embedded default;
3. unless a real PBX is configured, starts the AMI simulator in-process on 127.0.0.1 (an
   ephemeral port) with a demo driver placing citizen calls; the desk talks to it over TCP
   exactly as to Asterisk;
4. after sign-in: the DeskPhone (queue login in demo mode, so a call pops within a minute),
   the main window, the change follower. Sign-out tears that down and shows the sign-in again;
   closing the sign-in window ends the program after async clean-up (AMI logoff) has run.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication

from ui.config import DeskConfig, SecretStore, data_dir, load_config
from ui.gc_guard import freeze_long_lived
from ui.ops import ChangeBus, CrashGuard, Ops
from ui.signin import SignInWindow, demo_accounts

log = logging.getLogger("ui.app")

DEMO_FIRST_CALL_S = 8.0  # after the demo agent is ready: the first citizen call
DEMO_BOT_EXTENSIONS = ("1002", "1003")


def setup_logging() -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(folder / "desk.log", maxBytes=5_000_000,
                                                   backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def open_core(url: str, password: str | None, embedded: bool, desk_id: str | None = None) -> Any:
    """Open the database and make sure its schema is the one this desk was built for; seed the
    embedded default with demo data. Runs on a worker thread.

    A SQLite file is this desk's own: it is migrated to the newest revision here. A shared
    database (PostgreSQL) is only checked — an administrator migrates it (``hotline-desk
    upgrade``), never a desk starting at the shift change; a mismatch raises
    :class:`ui.schema_gate.SchemaMismatch` and sign-in stays closed."""
    from sqlalchemy.engine import make_url

    from hotline_desk.core import Core

    if embedded:
        data_dir().mkdir(parents=True, exist_ok=True)
    target = url
    if password:
        target = make_url(url).set(password=password).render_as_string(hide_password=False)
    core = Core.open(target, desk_id)
    try:
        if core.dialect == "sqlite":
            core.upgrade()
        else:
            from ui.schema_gate import check_shared_schema

            check_shared_schema(core.schema_revision())
        if embedded:
            core.seed_demo()
    except BaseException:
        core.close()
        raise
    # pypinyin's dictionaries load on first use (~0.3 s): here, off the GUI thread and before
    # the agent types into a unit or subject completer
    from hotline_desk.text import pinyin_initials

    pinyin_initials("热线")
    return core


@dataclass
class Session:
    """One signed-in agent: torn down entirely on sign-out."""

    ctx: Any
    window: Any
    phone: Any
    bridge: Any
    follower: Any
    monitor: Any = None


class DeskApp(QObject):
    """Owns the long-lived parts (ops, change bus, core, simulator) and the session."""

    core_ready = Signal(object)
    session_started = Signal(object)
    finished = Signal()

    def __init__(self, app: QApplication, config: DeskConfig, *, config_error: str = "",
                 simulator_speed: float = 1.0, desk_id: str | None = None) -> None:
        super().__init__()
        self.app = app
        # async clean-up (AMI logoff, queue logout) must run after the last window closes
        app.setQuitOnLastWindowClosed(False)
        self.config = config
        self.bus = ChangeBus()
        self.ops = Ops(self.bus)
        self.guard = CrashGuard().install()
        self.secrets = SecretStore()
        self.core: Any = None
        self.core_error = ""
        #: the sign-in window shows a schema mismatch (sign-in is closed until it is resolved)
        self._schema_blocked = False
        self.simulator: Any = None
        self.demo_driver: Any = None
        self.simulator_speed = simulator_speed
        #: demo mode: seconds from queue login to the first citizen call (None: no such call)
        self.demo_first_call_s: float | None = DEMO_FIRST_CALL_S
        self.desk_id = desk_id
        self.session: Session | None = None
        self._tasks: set[asyncio.Task] = set()
        self._done: asyncio.Future | None = None
        self._settings_dialog: Any = None
        self.signin = SignInWindow(demo=config.embedded_database and config.pbx.simulated)
        self.signin.submitted.connect(self.sign_in)
        self.signin.settings_requested.connect(self.open_settings)
        self.signin.closed.connect(self._signin_closed)
        if config_error:
            self.signin.show_error(config_error)

    # -- start -------------------------------------------------------------------------
    def _spawn(self, coro: Any) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            sys.excepthook(type(exc), exc, exc.__traceback__)

    async def run(self, started: float | None = None) -> None:
        """Show the sign-in window, prepare the back ends, run until the program ends.

        ``started`` is the process's start as a ``time.time()`` value (``process_started_at``):
        the logged "sign-in window shown" time then covers interpreter start-up and imports.

        The back ends start only once the window has painted: opening the database imports
        SQLAlchemy, Alembic and the core on a worker thread, and those imports would otherwise
        compete with the first paint for the interpreter."""
        self._done = asyncio.get_running_loop().create_future()
        self.signin.show()
        painted = await self._painted(self.signin)
        if started is not None:
            log.info("sign-in window shown %.0f ms after start (of the process)%s",
                     (time.time() - started) * 1000, "" if painted else "; no paint seen")
        await self.prepare()
        await self._done

    @staticmethod
    async def _painted(widget: Any, timeout: float = 0.5) -> bool:
        """Wait for the widget's first paint (False after ``timeout``; offscreen may never expose it)."""
        from PySide6.QtCore import QEvent

        loop = asyncio.get_running_loop()
        done = loop.create_future()

        class FirstPaint(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint and not done.done():
                    loop.call_soon(lambda: done.done() or done.set_result(None))
                return False

        probe = FirstPaint()
        widget.installEventFilter(probe)
        try:
            await asyncio.wait_for(done, timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            widget.removeEventFilter(probe)

    async def prepare(self) -> None:
        """Open the database and, in demo mode, start the PBX simulator."""
        self.signin.set_status(self.tr("正在打开数据库…"))
        cfg = self.config
        try:
            self.core = await self.ops.call(open_core, cfg.effective_database_url(),
                                            None if cfg.embedded_database else self.secrets.get("database").value,
                                            cfg.embedded_database, self.desk_id)
        except Exception as exc:  # noqa: BLE001 - shown on the sign-in window, settings can fix it
            from ui.ops import error_message
            from ui.schema_gate import SchemaMismatch

            self.core_error = error_message(exc)[1]
            if isinstance(exc, SchemaMismatch):
                log.warning("shared database schema: %s", exc.message_en)
                self._schema_blocked = True
                self.signin.show_error(self.core_error)
                self.signin.set_ready(False, self.tr("数据库结构版本不符，暂不能登录。") if exc.behind
                                      else self.tr("坐席程序版本过旧，暂不能登录。"))
                return
            log.exception("cannot open the database")
            self.signin.set_ready(False, self.tr("数据库无法打开：") + self.core_error +
                                  self.tr("　请在“设置”中检查数据库地址。"))
            return
        if self._schema_blocked:  # another database was chosen in the settings, and it fits
            self._schema_blocked = False
            self.signin.error.hide()
        if cfg.pbx.simulated:
            await self.start_simulator()
        mode = self.tr("演示模式（内置数据库、模拟电话系统）") if self.signin.demo else \
            self.tr("数据库已连接：") + self.core.dialect
        self.signin.set_ready(True, mode + self.tr("，请登录。"))
        self.core_ready.emit(self.core)

    async def start_simulator(self) -> None:
        from telephony.simulator import AmiSimulator, DemoDriver

        self.simulator = AmiSimulator(host="127.0.0.1", port=0, speed=self.simulator_speed)
        await self.simulator.start()
        for ext in DEMO_BOT_EXTENSIONS:
            self.simulator.login_agent(ext, "12345-ringall")
        if self.config.demo_calls_per_minute > 0:
            # 12345 rings only this desk in the demo, so a newcomer gets the calls; the bots
            # share the ring-all line (ring-all retraction is visible there)
            self.demo_driver = DemoDriver(self.simulator, calls_per_hour=self.config.demo_calls_per_minute * 60,
                                          bot_agents=(), queue_mix=(("12345", 0.85), ("12345-ringall", 0.15)))
            self.demo_driver.start()
        log.info("PBX simulator on 127.0.0.1:%d", self.simulator.port)

    # -- sign in -----------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        if self.core is None:
            return
        self.signin.set_busy(True)
        self.ops.run(self.core.auth.sign_in, username, password, on_success=self._signed_in,
                     on_failure=self._sign_in_failed, label="sign_in")

    def _sign_in_failed(self, exc: BaseException) -> bool:
        from ui.ops import error_message

        self.signin.set_busy(False)
        self.signin.show_error(error_message(exc)[1])
        return True

    def _signed_in(self, actor: Any) -> None:
        self._spawn(self.start_session(actor))

    def pbx_config(self, actor: Any) -> Any:
        """The telephony config for this agent: the simulator's or the configured PBX's."""
        from telephony.desk import PbxConfig

        pbx = self.config.pbx
        if self.simulator is not None:
            from telephony.simulator import DEFAULT_USERS
            from telephony.simulator.model import agent_interface

            staff = {s["username"]: s for s in demo_accounts()}
            ext = staff.get(actor.username, {}).get("extension", "1001")
            user = "desk"
            return PbxConfig(host="127.0.0.1", port=self.simulator.port, username=user,
                             secret=DEFAULT_USERS[user].secret, interface=agent_interface(ext),
                             member_name=f"坐席{ext}", queues=("12345", "12345-ringall"),
                             ping_interval=5.0)
        return PbxConfig(host=pbx.host, port=pbx.port, username=pbx.username,
                         secret=self.secrets.get("ami").value or "", interface=pbx.interface,
                         member_name=pbx.member_name or actor.display_name, queues=tuple(pbx.queues))

    async def start_session(self, actor: Any) -> None:
        from hotline_desk.domain import Role
        from telephony.desk import DeskPhone
        from ui.context import DeskContext
        from ui.main_window import MainWindow
        from ui.phone_bridge import PhoneBridge
        from ui.sync import ChangeFollower

        phone = bridge = None
        try:
            pbx_cfg = self.pbx_config(actor)
            phone = DeskPhone(pbx_cfg)
        except Exception as exc:  # noqa: BLE001 - the desk works without a phone; say why
            log.warning("no phone for this session: %s", exc)
            self.ops.notice.emit("warning", self.tr("电话系统设置不完整，本次登录不接来电：") + str(exc))
        ctx = DeskContext(core=self.core, actor=actor, ops=self.ops, changes=self.bus,
                          settings=self.config, phone=phone)
        if phone is not None:
            bridge = PhoneBridge(phone, pbx_cfg.interface)
        window = MainWindow(ctx, bridge, simulated=self.simulator is not None)
        window.sign_out_requested.connect(lambda: self._spawn(self.sign_out()))
        window.settings_requested.connect(self.open_settings)
        window.quit_requested.connect(lambda: self._spawn(self.shutdown()))
        follower = ChangeFollower(ctx, database_url=self.config.effective_database_url())
        follower.health.connect(window.status.on_health)
        self.session = Session(ctx, window, phone, bridge, follower)
        window.restore_layout()  # shows it
        self.signin.hide()
        self.signin.set_busy(False)
        self.signin.password.clear()
        self.guard.notice.connect(window.message_bar.show_message)
        follower.start()
        if phone is not None:
            await phone.start()
            if self.simulator is not None:
                self._spawn(self._demo_ready(phone))
            if Role.SHIFT_LEAD in actor.roles:
                await self._start_monitor(pbx_cfg, window)
        # the session's long-lived objects exist now: one full collection, then exempt them from
        # every later one (full collections over them stalled the GUI thread 127–375 ms)
        freeze_long_lived()
        self.session_started.emit(self.session)

    async def _start_monitor(self, pbx_cfg: Any, window: Any) -> None:
        from telephony.monitor import QueueMonitor

        if self.simulator is not None:
            from telephony.simulator import DEFAULT_USERS

            user, secret, queues = "wallboard", DEFAULT_USERS["wallboard"].secret, ()
        else:
            user, secret, queues = pbx_cfg.username, pbx_cfg.secret, pbx_cfg.queues
        monitor = QueueMonitor(pbx_cfg.host, pbx_cfg.port, user, secret, queues=tuple(queues),
                               events="on")
        board = window.pages.get("wallboard")
        if board is not None:
            monitor.subscribe(board.on_event)
        assert self.session is not None
        self.session.monitor = monitor
        await monitor.start()

    async def _demo_ready(self, phone: Any) -> None:
        """Demo mode: log the agent into the queue, ready, and send a first citizen call soon."""
        from telephony.events import LinkState
        from telephony.simulator.people import caller

        try:
            await phone.wait_until(LinkState.UP, timeout=10)
            await phone.queue_login()
        except Exception as exc:  # noqa: BLE001
            log.warning("demo queue login failed: %r", exc)
            return
        if self.demo_first_call_s is None:
            return
        await asyncio.sleep(self.demo_first_call_s)
        if self.simulator is not None and self.session is not None and self.session.phone is phone:
            number, name = caller(self.simulator.rng)
            self.simulator.place_call(number, name, "12345")

    async def sign_out(self) -> None:
        session, self.session = self.session, None
        if session is None:
            return
        session.follower.stop()
        self.guard.notice.disconnect(session.window.message_bar.show_message)
        if session.monitor is not None:
            await session.monitor.stop()
        if session.phone is not None:
            try:
                if session.phone.agent_state.state.value != "logged_out" and \
                        session.phone.link_state.state.value == "up":
                    await asyncio.wait_for(session.phone.queue_logout(), 5)
            except Exception as exc:  # noqa: BLE001 - signing out must always work
                log.warning("queue logout at sign-out failed: %r", exc)
            await session.phone.stop()
        if session.bridge is not None:
            session.bridge.close()
        session.window.close_for_good()
        session.window.deleteLater()
        self.signin.show()
        self.signin.password.setFocus()

    # -- settings ----------------------------------------------------------------------
    def open_settings(self) -> None:
        from ui.settings import SettingsDialog

        parent = self.session.window if self.session is not None else self.signin
        dialog = SettingsDialog(self.config, self.ops, parent, self.secrets)
        dialog.saved.connect(self._settings_saved)
        self._settings_dialog = dialog
        dialog.open()  # never exec(): we are on the qasync loop

    def _settings_saved(self, config: DeskConfig) -> None:
        from ui.fonts import apply_desk_font
        from ui.i18n import install_language

        backend_changed = (config.database_url != self.config.database_url or config.pbx != self.config.pbx)
        self.config = config
        install_language(self.app, config.language)
        apply_desk_font(self.app, config.font_pt)
        if backend_changed and self.session is None:
            self._spawn(self._reconnect_backends())
        elif backend_changed:
            self.ops.notice.emit("info", self.tr("数据库或电话系统设置已保存，注销后重新登录生效"))

    async def _reconnect_backends(self) -> None:
        await self._stop_backends()
        self.signin.demo = self.config.embedded_database and self.config.pbx.simulated
        self.signin.set_ready(False)
        await self.prepare()

    # -- end ---------------------------------------------------------------------------
    def _signin_closed(self) -> None:
        if self.session is None:
            self._spawn(self.shutdown())

    async def _stop_backends(self) -> None:
        if self.demo_driver is not None:
            await self.demo_driver.stop()
            self.demo_driver = None
        if self.simulator is not None:
            await self.simulator.stop()
            self.simulator = None
        if self.core is not None:
            core, self.core = self.core, None
            await self.ops.call(core.close)

    async def shutdown(self) -> None:
        """Sign out (AMI logoff, queue logout), stop the simulator, close the database."""
        await self.sign_out()
        self.signin.hide()
        await self._stop_backends()
        self.ops.shutdown()
        self.guard.uninstall()
        self.finished.emit()
        if self._done is not None and not self._done.done():
            self._done.set_result(None)


#: How long a thread may hold the GIL while another waits for it (CPython's default: 5 ms).
#: The GUI thread gives the GIL up at every call into Qt; while a worker formats a page of
#: tickets, each of those calls could cost the GUI thread up to 5 ms of waiting. At 1 ms the
#: GUI thread's gaps > 16 ms while the list scrolled and calls popped went from 6–8 to 3 per
#: 30 s (bench/ui_stalls.py, PostgreSQL 1 M); the workers' extra switching costs nothing visible.
GIL_SWITCH_INTERVAL_S = 0.001


def build_application(argv: list[str], config: DeskConfig) -> QApplication:
    """The QApplication with the desk's font, language and stylesheet (and the GIL handed to
    the GUI thread sooner: ``GIL_SWITCH_INTERVAL_S``)."""
    from ui.fonts import apply_desk_font
    from ui.i18n import install_language
    from ui.style import STYLESHEET

    QCoreApplication.setOrganizationName("Shangrao12345")
    QCoreApplication.setApplicationName("hotline-desk")
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(argv)
    app.setQuitOnLastWindowClosed(False)  # async clean-up must run before the loop stops
    apply_desk_font(app, config.font_pt)
    install_language(app, config.language)
    app.setStyleSheet(STYLESHEET)
    if not hasattr(app, "_desk_gc"):
        from ui.gc_guard import GuiThreadCollector

        app._desk_gc = GuiThreadCollector(app).start()  # type: ignore[attr-defined]
    return app


def process_started_at(fallback: float) -> float:
    """When this process started, as a ``time.time()`` value, so start-up times include the
    interpreter's own start and the imports before ``main`` (Linux: /proc, 10 ms resolution).
    Elsewhere ``fallback``: a ``time.time()`` taken as early as possible (``ui/__main__.py``)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])  # field 22: starttime
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return fallback
    return time.time() - age if 0 <= age < 86_400 * 365 else fallback


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """``started``: a ``time.time()`` taken before the heavy imports (used where /proc is not)."""
    started = process_started_at(time.time() if started is None else started)
    argv = list(sys.argv if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m ui", description="上饶市长热线坐席桌面")
    parser.add_argument("--language", choices=("zh_CN", "en"), help="界面语言（默认读取配置）")
    parser.add_argument("--sim-speed", type=float, default=1.0,
                        help="模拟电话系统的时间倍速（演示用，默认 1）")
    parser.add_argument("--desk-id", default=os.environ.get("HOTLINE_DESK_ID"),
                        help="本坐席在时间线上的名称（默认主机名）")
    args = parser.parse_args(argv[1:])
    setup_logging()
    config_error = ""
    try:
        config = load_config()
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the desk; say so
        config, config_error = DeskConfig(), str(exc)
    if args.language:
        config = replace(config, language=args.language)
    app = build_application(argv, config)
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    desk = DeskApp(app, config, config_error=config_error, simulator_speed=args.sim_speed,
                   desk_id=args.desk_id)
    with loop:
        loop.run_until_complete(desk.run(started))
    return 0
