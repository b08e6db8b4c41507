"""The settings dialog: where the database and the PBX are, pause reasons, language, font size.

Opened with ``open()`` (never ``exec()``: STACK.md, qasync). Secrets typed here go to the OS
keyring; when there is none, the dialog says which environment variable to set instead. The two
"test connection" buttons run off the GUI thread and answer in Chinese.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from hotline_desk.errors import DeskError, ValidationError
from ui.config import (DeskConfig, PbxSettings, SecretStore, save_config, strip_password)
from ui.i18n import LANGUAGES

log = logging.getLogger(__name__)


def check_database(url: str, password: str | None) -> str:
    """Connect and run ``SELECT 1``; returns a Chinese success line or raises DeskError."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    try:
        target = make_url(url)
        if password:
            target = target.set(password=password)
        engine = sa.create_engine(target, pool_pre_ping=False,
                                  connect_args={"connect_timeout": 5} if target.drivername.startswith("postgresql") else {})
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clear message
        raise ValidationError(f"数据库地址无效：{exc}", "bad database URL") from exc
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            server = conn.dialect.name
            version = ".".join(str(v) for v in (conn.dialect.server_version_info or ())[:2])
    except Exception as exc:  # noqa: BLE001
        msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise DeskError(f"无法连接数据库：{msg}", f"cannot connect: {msg}") from exc
    finally:
        engine.dispose()
    return f"连接成功：{server} {version}".strip()


async def check_pbx(pbx: PbxSettings, secret: str | None) -> str:
    """Log in to the AMI and out again (``telephony.desk.test_connection``, its own short
    connection); returns the Chinese success line or raises DeskError with the reason."""
    from telephony.desk import PbxConfigError, test_connection

    try:
        config = pbx_config(pbx, secret or "")
    except PbxConfigError as exc:
        raise ValidationError(exc.message_zh, "bad PBX settings") from exc
    ok, message = await test_connection(config)
    if not ok:
        raise DeskError(message, "PBX test failed")
    return message


def pbx_config(pbx: PbxSettings, secret: str) -> Any:
    """The telephony layer's ``PbxConfig`` for these settings."""
    from telephony.desk import PbxConfig

    return PbxConfig(host=pbx.host, port=pbx.port, username=pbx.username, secret=secret,
                     interface=pbx.interface, queues=tuple(pbx.queues),
                     member_name=pbx.member_name or pbx.interface)


class SettingsDialog(QDialog):
    """``saved(DeskConfig)`` after a successful save (the root decides what must restart)."""

    saved = Signal(object)

    def __init__(self, config: DeskConfig, ops: Any, parent: QWidget | None = None,
                 secrets: SecretStore | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("坐席设置"))
        self.resize(760, 800)
        self.config = config
        self.ops = ops
        self.secrets = secrets or SecretStore()
        lay = QVBoxLayout(self)

        db_box = QGroupBox(self.tr("数据库"))
        db = QFormLayout(db_box)
        self.db_url = QLineEdit(config.database_url)
        self.db_url.setPlaceholderText(self.tr("留空 = 本机内置数据库（SQLite）；如 postgresql+psycopg://desk@db.local/hotline"))
        self.db_password = QLineEdit()
        self.db_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.db_secret_source = QLabel(self.tr("密码来源：") + self.secrets.get("database").source_zh)
        self.db_secret_source.setWordWrap(True)
        self.db_secret_source.setObjectName("popHint")
        self.db_test = QPushButton(self.tr("测试数据库连接"))
        self.db_result = QLabel()
        self.db_result.setWordWrap(True)
        db.addRow(self.tr("数据库地址"), self.db_url)
        db.addRow(self.tr("数据库密码"), self.db_password)
        db.addRow(self.db_secret_source)  # spans the row: a wrapped label in a form column gets clipped
        db.addRow(self.db_test, self.db_result)
        lay.addWidget(db_box)

        pbx_box = QGroupBox(self.tr("电话系统（Asterisk AMI）"))
        pbx = QFormLayout(pbx_box)
        self.pbx_host = QLineEdit(config.pbx.host)
        self.pbx_host.setPlaceholderText(self.tr("留空 = 使用内置模拟电话系统（演示）"))
        self.pbx_port = QSpinBox()
        self.pbx_port.setRange(1, 65535)
        self.pbx_port.setValue(config.pbx.port)
        self.pbx_user = QLineEdit(config.pbx.username)
        self.pbx_secret = QLineEdit()
        self.pbx_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.pbx_secret_source = QLabel(self.tr("密钥来源：") + self.secrets.get("ami").source_zh)
        self.pbx_secret_source.setWordWrap(True)
        self.pbx_secret_source.setObjectName("popHint")
        self.pbx_interface = QLineEdit(config.pbx.interface)
        self.pbx_queues = QLineEdit(",".join(config.pbx.queues))
        self.pbx_member = QLineEdit(config.pbx.member_name)
        self.pbx_test = QPushButton(self.tr("测试电话系统连接"))
        self.pbx_result = QLabel()
        self.pbx_result.setWordWrap(True)
        pbx.addRow(self.tr("主机"), self.pbx_host)
        pbx.addRow(self.tr("端口"), self.pbx_port)
        pbx.addRow(self.tr("AMI 用户"), self.pbx_user)
        pbx.addRow(self.tr("AMI 密钥"), self.pbx_secret)
        pbx.addRow(self.pbx_secret_source)
        pbx.addRow(self.tr("本机分机接口"), self.pbx_interface)
        pbx.addRow(self.tr("队列（逗号分隔）"), self.pbx_queues)
        pbx.addRow(self.tr("坐席名称"), self.pbx_member)
        pbx.addRow(self.pbx_test, self.pbx_result)
        lay.addWidget(pbx_box)

        desk_box = QGroupBox(self.tr("坐席"))
        desk = QFormLayout(desk_box)
        self.pause_reasons = QLineEdit("，".join(config.pause_reasons))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(config.language)))
        self.font_pt = QSpinBox()
        self.font_pt.setRange(10, 20)
        self.font_pt.setValue(config.font_pt)
        desk.addRow(self.tr("暂停原因（逗号分隔）"), self.pause_reasons)
        desk.addRow(self.tr("界面语言"), self.language)
        desk.addRow(self.tr("字号（磅）"), self.font_pt)
        lay.addWidget(desk_box)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        lay.addWidget(self.error)
        note = QLabel(self.tr("数据库和电话系统的更改在下次登录时生效。"))
        note.setObjectName("popHint")
        lay.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        lay.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.db_test.clicked.connect(self.test_database)
        self.pbx_test.clicked.connect(self.test_pbx)

    # -- reading the form ---------------------------------------------------------------
    def form_config(self) -> DeskConfig:
        """The config as typed. A password typed into the URL is moved to the password field."""
        url, leaked = strip_password(self.db_url.text().strip())
        if leaked is not None:
            self.db_url.setText(url)
            self.db_password.setText(leaked)
        reasons = tuple(r.strip() for r in self.pause_reasons.text().replace("，", ",").split(",") if r.strip())
        if not reasons:
            raise ValidationError("请至少填写一个暂停原因", field_errors={"pause_reasons": "至少一个"})
        queues = tuple(q.strip() for q in self.pbx_queues.text().replace("，", ",").split(",") if q.strip())
        host = self.pbx_host.text().strip()
        if host and not (self.pbx_interface.text().strip() and queues):
            raise ValidationError("连接真实电话系统时必须填写本机分机接口和队列",
                                  field_errors={"interface": "必填"})
        return replace(self.config, database_url=url, pause_reasons=reasons,
                       language=self.language.currentData(), font_pt=self.font_pt.value(),
                       pbx=PbxSettings(host=host, port=self.pbx_port.value(),
                                       username=self.pbx_user.text().strip(),
                                       interface=self.pbx_interface.text().strip() or PbxSettings.interface,
                                       queues=queues or PbxSettings.queues,
                                       member_name=self.pbx_member.text().strip()))

    def _secret(self, name: str, typed: QLineEdit) -> str | None:
        return typed.text() or self.secrets.get(name).value

    # -- actions ------------------------------------------------------------------------
    @Slot()
    def test_database(self) -> None:
        try:
            cfg = self.form_config()
        except DeskError as exc:
            self.db_result.setText("✖ " + str(exc))
            return
        self.db_result.setText(self.tr("正在测试…"))
        self.ops.run(check_database, cfg.effective_database_url(), self._secret("database", self.db_password),
                     on_success=lambda msg: self.db_result.setText("✔ " + msg),
                     on_failure=lambda exc: self.db_result.setText("✖ " + str(exc)) or True,
                     label="test_database")

    @Slot()
    def test_pbx(self) -> None:
        try:
            cfg = self.form_config()
        except DeskError as exc:
            self.pbx_result.setText("✖ " + str(exc))
            return
        if cfg.pbx.simulated:
            self.pbx_result.setText("✔ " + self.tr("未填写主机：使用内置模拟电话系统，无需测试"))
            return
        self.pbx_result.setText(self.tr("正在测试…"))
        self._pbx_task = asyncio.ensure_future(self._run_pbx_test(cfg.pbx, self._secret("ami", self.pbx_secret)))

    async def _run_pbx_test(self, pbx: PbxSettings, secret: str | None) -> None:
        try:
            msg = await asyncio.wait_for(check_pbx(pbx, secret), 15)
        except asyncio.TimeoutError:
            self.pbx_result.setText("✖ " + self.tr("连接超时（15 秒）：请检查主机、端口和防火墙"))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            log.info("PBX test failed: %r", exc)
            self.pbx_result.setText("✖ " + (str(exc) or type(exc).__name__))
        else:
            self.pbx_result.setText("✔ " + msg)

    @Slot()
    def save(self) -> None:
        try:
            cfg = self.form_config()
            where = []
            if self.db_password.text():
                where.append(self.tr("数据库密码") + "→" + self.secrets.set("database", self.db_password.text()))
            if self.pbx_secret.text():
                where.append(self.tr("AMI 密钥") + "→" + self.secrets.set("ami", self.pbx_secret.text()))
            path = save_config(cfg)
        except DeskError as exc:
            self.error.setText("✖ " + str(exc))
            return
        self.config = cfg
        log.info("settings saved to %s (%s)", path, "; ".join(where))
        self.saved.emit(cfg)
        self.accept()
