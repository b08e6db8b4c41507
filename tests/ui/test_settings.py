"""The settings dialog: saves the config file without secrets, tests the database and the PBX
(against the simulator over TCP) and answers in Chinese."""
from __future__ import annotations

import pytest
import pytest_asyncio
from desk_support import until

from ui.config import DeskConfig, SecretStore, config_dir, load_config
from ui.ops import ChangeBus, Ops
from ui.settings import SettingsDialog, check_database

pytestmark = pytest.mark.gui


class NoKeyring(SecretStore):
    def keyring_available(self):
        return False, "本机无系统密钥环"


class MemoryKeyring(SecretStore):
    def __init__(self):
        super().__init__()
        self.saved = {}

    def keyring_available(self):
        return True, ""

    def get(self, name):
        from ui.config import Secret

        value = self.saved.get(name)
        return Secret(value, "系统密钥环" if value else "未设置")

    def set(self, name, value):
        self.saved[name] = value
        return "系统密钥环"


@pytest.fixture
def ops(qapp):
    o = Ops(ChangeBus())
    yield o
    o.shutdown()


def test_save_writes_the_file_and_sends_the_password_to_the_keyring(qtbot, ops):
    secrets = MemoryKeyring()
    dialog = SettingsDialog(DeskConfig(), ops, secrets=secrets)
    qtbot.addWidget(dialog)
    dialog.db_url.setText("postgresql+psycopg://desk:typed-secret@db.local:5432/hotline")
    dialog.pbx_host.setText("10.1.2.3")
    dialog.pbx_user.setText("desk")
    dialog.pbx_secret.setText("ami-secret")
    dialog.pbx_interface.setText("PJSIP/1002")
    dialog.pbx_queues.setText("12345，12345-vip")
    dialog.pause_reasons.setText("小休，质检")
    with qtbot.waitSignal(dialog.saved, timeout=2000) as saved:
        dialog.save()
    cfg = saved.args[0]
    assert cfg.database_url == "postgresql+psycopg://desk@db.local:5432/hotline"
    assert cfg.pbx.queues == ("12345", "12345-vip") and cfg.pause_reasons == ("小休", "质检")
    assert secrets.saved == {"database": "typed-secret", "ami": "ami-secret"}
    text = (config_dir() / "desk.ini").read_text(encoding="utf-8")
    assert "typed-secret" not in text and "ami-secret" not in text
    assert load_config() == cfg


def test_without_a_keyring_the_dialog_says_which_variable_to_set(qtbot, ops):
    dialog = SettingsDialog(DeskConfig(), ops, secrets=NoKeyring())
    qtbot.addWidget(dialog)
    dialog.pbx_secret.setText("ami-secret")
    dialog.save()
    assert "HOTLINE_AMI_SECRET" in dialog.error.text()
    assert not (config_dir() / "desk.ini").exists()  # nothing half-written
    assert "HOTLINE_AMI_SECRET" in dialog.pbx_secret_source.text()


def test_real_pbx_needs_interface_and_queues(qtbot, ops):
    dialog = SettingsDialog(DeskConfig(), ops, secrets=NoKeyring())
    qtbot.addWidget(dialog)
    dialog.pbx_host.setText("pbx.local")
    dialog.pbx_interface.setText("")
    dialog.pbx_queues.setText("")
    dialog.save()
    assert "分机接口" in dialog.error.text()


def test_database_test_button_answers_in_chinese(qtbot, ops, tmp_path):
    dialog = SettingsDialog(DeskConfig(), ops, secrets=NoKeyring())
    qtbot.addWidget(dialog)
    dialog.db_url.setText(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    dialog.test_database()
    qtbot.waitUntil(lambda: dialog.db_result.text().startswith("✔"), timeout=5000)
    assert "连接成功" in dialog.db_result.text()
    dialog.db_url.setText("postgresql+psycopg://desk@127.0.0.1:1/none")
    dialog.test_database()
    qtbot.waitUntil(lambda: dialog.db_result.text().startswith("✖"), timeout=15000)
    assert "无法连接数据库" in dialog.db_result.text()


def test_check_database_refuses_a_malformed_url():
    from hotline_desk.errors import DeskError

    with pytest.raises(DeskError) as err:
        check_database("::not a url::", None)
    assert "数据库地址无效" in str(err.value)


@pytest_asyncio.fixture(loop_scope="session")
async def simulator():
    from telephony.simulator import AmiSimulator

    sim = AmiSimulator(port=0)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.mark.asyncio(loop_scope="session")
async def test_pbx_test_button_against_the_simulator(qtbot, ops, simulator, monkeypatch):
    monkeypatch.setenv("HOTLINE_AMI_SECRET", "desk-secret")
    dialog = SettingsDialog(DeskConfig(), ops, secrets=NoKeyring())
    qtbot.addWidget(dialog)
    dialog.pbx_host.setText("127.0.0.1")
    dialog.pbx_port.setValue(simulator.port)
    dialog.pbx_user.setText("desk")
    dialog.test_pbx()
    await until(lambda: dialog.pbx_result.text().startswith(("✔", "✖")), what="PBX test")
    assert dialog.pbx_result.text().startswith("✔") and "连接成功" in dialog.pbx_result.text()

    dialog.pbx_secret.setText("wrong")
    dialog.pbx_result.clear()
    dialog.test_pbx()
    await until(lambda: dialog.pbx_result.text().startswith(("✔", "✖")), what="PBX test")
    assert "AMI 用户名或密码错误" in dialog.pbx_result.text()


def test_simulated_pbx_needs_no_test(qtbot, ops):
    dialog = SettingsDialog(DeskConfig(), ops, secrets=NoKeyring())
    qtbot.addWidget(dialog)
    dialog.test_pbx()
    assert "模拟" in dialog.pbx_result.text()
