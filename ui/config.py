"""The desk's configuration file and its secrets.

One INI file in the user's config folder (``desk.ini``) says where the database and the PBX are.
It never holds a secret: the database password and the AMI secret come from the environment
(``HOTLINE_DB_PASSWORD``, ``HOTLINE_AMI_SECRET``) or the OS keyring (service ``hotline-desk``).
A password typed into a database URL is taken out of it before the file is written.
On a headless box without a keyring backend (``NoKeyringError``) the environment is used and
the settings dialog says so (STACK.md).

No Qt here: the composition root and the settings dialog both use it, and tests read it plainly.
"""
from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from hotline_desk.errors import ValidationError
from hotline_desk.paths import data_dir as core_data_dir, default_url

APP_DIR_NAME = "hotline-desk"
KEYRING_SERVICE = "hotline-desk"
SECRET_ENV = {"database": "HOTLINE_DB_PASSWORD", "ami": "HOTLINE_AMI_SECRET"}
SECRET_LABEL_ZH = {"database": "数据库密码", "ami": "AMI 密钥"}

DEFAULT_PAUSE_REASONS = ("小休", "就餐", "培训", "会议", "话后整理")


def config_dir() -> Path:
    """The user's config folder (``HOTLINE_DESK_CONFIG_DIR`` overrides it, e.g. in tests)."""
    if env := os.environ.get("HOTLINE_DESK_CONFIG_DIR"):
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / APP_DIR_NAME


def data_dir() -> Path:
    """The user's data folder (the embedded SQLite database, drafts, logs): the core's rule, so
    the desk and the ``hotline-desk`` CLI always open the same database."""
    return core_data_dir()


@dataclass(frozen=True)
class PbxSettings:
    """Where the Asterisk manager interface is and who this desk is on it.

    ``host`` empty means: no real PBX configured — the desk starts the built-in simulator."""

    host: str = ""
    port: int = 5038
    username: str = ""
    interface: str = "PJSIP/1001"
    queues: tuple[str, ...] = ("12345",)
    member_name: str = ""

    @property
    def simulated(self) -> bool:
        return not self.host


@dataclass(frozen=True)
class DeskConfig:
    """Everything in ``desk.ini``. ``database_url`` empty means the embedded SQLite default."""

    database_url: str = ""
    pbx: PbxSettings = field(default_factory=PbxSettings)
    pause_reasons: tuple[str, ...] = DEFAULT_PAUSE_REASONS
    language: str = "zh_CN"
    font_pt: int = 11
    #: calls per minute the built-in simulator generates (demo pace)
    demo_calls_per_minute: float = 2.0

    def effective_database_url(self) -> str:
        """The URL the core opens (without the password; see :func:`database_url_with_secret`)."""
        if self.database_url:
            return self.database_url
        return default_url()

    @property
    def embedded_database(self) -> bool:
        return not self.database_url


def strip_password(url: str) -> tuple[str, str | None]:
    """``(url without password, password or None)`` — so a typed password never lands in the file."""
    if not url:
        return url, None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValidationError(f"数据库地址格式不正确：{url}", "malformed database URL",
                              field_errors={"database_url": "数据库地址格式不正确"}) from exc
    if parsed.password is None:
        return url, None
    from sqlalchemy.engine import URL

    bare = URL.create(parsed.drivername, username=parsed.username, password=None, host=parsed.host,
                      port=parsed.port, database=parsed.database, query=parsed.query)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def load_config(path: Path | None = None) -> DeskConfig:
    """Read ``desk.ini``; a missing file is the embedded default. Bad values are a typed error."""
    path = path or config_dir() / "desk.ini"
    if not path.exists():
        return DeskConfig()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    db = parser["database"] if parser.has_section("database") else {}
    pbx = parser["pbx"] if parser.has_section("pbx") else {}
    desk = parser["desk"] if parser.has_section("desk") else {}
    try:
        port = int(pbx.get("port", "5038") or 5038)
        font_pt = int(desk.get("font_pt", "11") or 11)
        pace = float(desk.get("demo_calls_per_minute", "2") or 2)
    except ValueError as exc:
        raise ValidationError(f"配置文件 {path} 中的数字无效：{exc}", f"bad number in {path}") from exc
    reasons = tuple(r.strip() for r in desk.get("pause_reasons", "").split(",") if r.strip())
    url = db.get("url", "").strip()
    url, leaked = strip_password(url)
    if leaked is not None:
        raise ValidationError(f"配置文件 {path} 的数据库地址中含有明文密码，请删除并改用环境变量 "
                              f"{SECRET_ENV['database']} 或系统密钥环",
                              "plain-text password in the config file")
    return DeskConfig(
        database_url=url,
        pbx=PbxSettings(
            host=pbx.get("host", "").strip(),
            port=port,
            username=pbx.get("username", "").strip(),
            interface=pbx.get("interface", PbxSettings.interface).strip(),
            queues=tuple(q.strip() for q in pbx.get("queues", "12345").split(",") if q.strip()),
            member_name=pbx.get("member_name", "").strip(),
        ),
        pause_reasons=reasons or DEFAULT_PAUSE_REASONS,
        language=desk.get("language", "zh_CN").strip() or "zh_CN",
        font_pt=max(10, font_pt),
        demo_calls_per_minute=pace,
    )


def save_config(config: DeskConfig, path: Path | None = None) -> Path:
    """Write ``desk.ini`` (owner-readable only). Refuses a URL that still carries a password."""
    path = path or config_dir() / "desk.ini"
    if strip_password(config.database_url)[1] is not None:
        raise ValidationError("数据库地址中不能包含密码，请把密码保存到系统密钥环或环境变量",
                              "the database URL must not carry a password",
                              field_errors={"database_url": "地址中不能包含密码"})
    parser = configparser.ConfigParser(interpolation=None)
    parser["database"] = {"url": config.database_url}
    parser["pbx"] = {
        "host": config.pbx.host, "port": str(config.pbx.port), "username": config.pbx.username,
        "interface": config.pbx.interface, "queues": ",".join(config.pbx.queues),
        "member_name": config.pbx.member_name,
    }
    parser["desk"] = {
        "pause_reasons": ",".join(config.pause_reasons), "language": config.language,
        "font_pt": str(config.font_pt), "demo_calls_per_minute": str(config.demo_calls_per_minute),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("# 上饶市长热线坐席桌面 — 配置文件。密码与密钥不写在这里：见环境变量或系统密钥环。\n")
        parser.write(fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


@dataclass(frozen=True)
class Secret:
    value: str | None
    #: where it came from, in Chinese, for the settings dialog ("环境变量 HOTLINE_AMI_SECRET" …)
    source_zh: str


class SecretStore:
    """Secrets from the environment first, then the OS keyring; never from the config file."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def keyring_available(self) -> tuple[bool, str]:
        """(usable, why not in Chinese)."""
        try:
            import keyring
            from keyring.backends.fail import Keyring as FailKeyring

            backend = keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not usable"
            return False, f"系统密钥环不可用（{exc}）"
        if isinstance(backend, FailKeyring) or type(backend).__module__.endswith(".null"):
            return False, "本机无系统密钥环"
        return True, ""

    def get(self, name: str) -> Secret:
        env = SECRET_ENV[name]
        if value := os.environ.get(env):
            return Secret(value, f"环境变量 {env}")
        ok, why = self.keyring_available()
        if ok:
            import keyring

            try:
                value = keyring.get_password(self.service, name)
            except Exception as exc:  # noqa: BLE001 - a locked or broken keyring is not fatal
                return Secret(None, f"系统密钥环读取失败（{exc}），请设置环境变量 {env}")
            if value:
                return Secret(value, "系统密钥环")
            return Secret(None, f"未设置（可在此保存到系统密钥环，或设置环境变量 {env}）")
        return Secret(None, f"未设置（{why}，请设置环境变量 {env}）")

    def set(self, name: str, value: str) -> str:
        """Store in the keyring; returns where it went. Without a keyring: a typed error saying
        which environment variable to set instead (we never write it to a file)."""
        ok, why = self.keyring_available()
        if not ok:
            raise ValidationError(f"{why}，无法保存{SECRET_LABEL_ZH[name]}。请在启动前设置环境变量 {SECRET_ENV[name]} 来提供"
                                  f"{SECRET_LABEL_ZH[name]}",
                                  "no keyring backend; use the environment variable")
        import keyring

        keyring.set_password(self.service, name, value)
        return "系统密钥环"


def with_pbx(config: DeskConfig, **changes: object) -> DeskConfig:
    """A copy of ``config`` with some PBX fields changed (the settings dialog uses it)."""
    return replace(config, pbx=replace(config.pbx, **changes))
