"""ui.config: the config file round-trips, never holds a secret, secrets come from env/keyring."""
from __future__ import annotations

import stat

import pytest

from hotline_desk.errors import ValidationError
from hotline_desk.paths import data_dir as core_data_dir, default_url
from ui.config import (DeskConfig, PbxSettings, SecretStore, config_dir, load_config, save_config,
                       data_dir, strip_password, with_pbx)


def test_missing_file_is_the_embedded_default(desk_dirs):
    cfg = load_config()
    assert cfg.embedded_database and cfg.pbx.simulated
    assert cfg.effective_database_url().startswith("sqlite:///")
    assert str(desk_dirs[1]) in cfg.effective_database_url()
    assert cfg.pause_reasons == ("小休", "就餐", "培训", "会议", "话后整理")


def test_round_trip_and_owner_only(desk_dirs):
    cfg = with_pbx(DeskConfig(database_url="postgresql+psycopg://desk@db.local:5432/hotline",
                              pause_reasons=("小休", "质检")),
                   host="10.0.0.5", port=5039, username="desk", interface="PJSIP/1002",
                   queues=("12345", "12345-vip"), member_name="王芳")
    path = save_config(cfg)
    assert path.parent == config_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config() == cfg


def test_password_in_url_is_refused_on_save_and_load(desk_dirs):
    with pytest.raises(ValidationError) as err:
        save_config(DeskConfig(database_url="postgresql://desk:s3cret@db/hotline"))
    assert "密码" in str(err.value)
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "desk.ini").write_text("[database]\nurl = postgresql://desk:s3cret@db/x\n")
    with pytest.raises(ValidationError) as err:
        load_config()
    assert "明文密码" in str(err.value)


def test_strip_password():
    url, pw = strip_password("postgresql+psycopg://desk:p%40ss@db:5432/hotline")
    assert pw == "p@ss" and "p%40ss" not in url and "desk@db:5432" in url
    assert strip_password("sqlite:////tmp/x.db") == ("sqlite:////tmp/x.db", None)
    with pytest.raises(ValidationError):
        strip_password("not a url")


def test_bad_number_is_a_typed_error(desk_dirs):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "desk.ini").write_text("[pbx]\nport = abc\n")
    with pytest.raises(ValidationError) as err:
        load_config()
    assert "数字无效" in str(err.value)


def test_secret_from_env_says_so(monkeypatch):
    monkeypatch.setenv("HOTLINE_AMI_SECRET", "amisecret")
    got = SecretStore().get("ami")
    assert got.value == "amisecret" and "HOTLINE_AMI_SECRET" in got.source_zh


def test_no_keyring_falls_back_and_says_which(monkeypatch):
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: FailKeyring())
    store = SecretStore()
    got = store.get("database")
    assert got.value is None and "HOTLINE_DB_PASSWORD" in got.source_zh
    with pytest.raises(ValidationError) as err:
        store.set("database", "pw")
    assert "HOTLINE_DB_PASSWORD" in str(err.value)


def test_keyring_used_when_available(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        store: dict = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    monkeypatch.setattr(keyring, "get_password", backend.get_password)
    monkeypatch.setattr(keyring, "set_password", backend.set_password)
    store = SecretStore()
    assert store.set("ami", "k") == "系统密钥环"
    assert store.get("ami").value == "k" and store.get("ami").source_zh == "系统密钥环"


def test_pbx_defaults():
    assert PbxSettings().simulated and not PbxSettings(host="pbx").simulated


def test_desk_and_cli_share_one_data_folder(monkeypatch, tmp_path):
    """The desk's drafts and embedded database and the CLI's default database are in one folder."""
    monkeypatch.delenv("HOTLINE_DB_URL", raising=False)
    monkeypatch.setenv("HOTLINE_DESK_DATA_DIR", str(tmp_path / "d"))
    assert core_data_dir() == data_dir() == tmp_path / "d"
    assert DeskConfig().effective_database_url() == default_url() == f"sqlite:///{tmp_path / 'd' / 'desk.sqlite3'}"
