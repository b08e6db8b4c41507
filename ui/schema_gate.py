"""Which database schema a desk may work on — and who migrates it.

The embedded SQLite belongs to this desk alone, so the desk brings it to the newest revision at
every start. A shared PostgreSQL belongs to every desk of the centre: dozens of desks starting at
the shift change would race to migrate it, and a desk (run by an agent, not an administrator)
must never change a schema the others depend on. So on a shared database the desk only compares
the revision stamped in it with the newest revision this program carries, and refuses sign-in on
a mismatch with a sentence that says who has to do what: an administrator runs
``hotline-desk upgrade`` (the database is behind), or this desk has to be updated (a newer desk
program already migrated the database).
"""
from __future__ import annotations

from hotline_desk.errors import DeskError

#: what the desk shows for a database with no schema at all (an empty revision)
EMPTY = "空库"


class SchemaMismatch(DeskError):
    """The shared database's schema revision is not the one this desk program was built for."""

    code = "schema_mismatch"

    def __init__(self, message_zh: str, message_en: str, *, current: str | None, head: str,
                 behind: bool) -> None:
        super().__init__(message_zh, message_en)
        self.current = current
        self.head = head
        #: True: the database is older (an administrator upgrades it); False: this desk is older
        self.behind = behind


def head_revision() -> str:
    """The newest schema revision among the migrations this desk program ships."""
    from alembic.script import ScriptDirectory

    from hotline_desk.store.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise RuntimeError("no Alembic migrations found")
    return head


def known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this program's migrations (else a newer program wrote it)."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    from hotline_desk.store.migrate import alembic_config

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def check_shared_schema(current: str | None) -> None:
    """Raise :class:`SchemaMismatch` unless ``current`` (the database's stamp) is the head."""
    head = head_revision()
    if current == head:
        return
    if current is None or known_revision(current):
        raise SchemaMismatch(
            f"数据库结构版本过旧（当前 {current or EMPTY}，需要 {head}），请管理员运行 hotline-desk upgrade",
            f"the database schema is out of date (at {current or 'an empty database'}, needs {head}): "
            "an administrator must run `hotline-desk upgrade`",
            current=current, head=head, behind=True)
    raise SchemaMismatch(
        f"数据库结构版本比本坐席程序新（当前 {current}，本程序支持到 {head}）："
        "数据库已由新版坐席程序升级，请先更新本坐席程序再登录",
        f"the database schema ({current}) is newer than this desk supports ({head}): "
        "update the desk program",
        current=current, head=head, behind=False)
