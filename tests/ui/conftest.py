"""UI test fixtures: a throwaway config and data folder so no test touches the user's own desk."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def desk_dirs(tmp_path, monkeypatch):
    cfg = tmp_path / "config"
    data = tmp_path / "data"
    monkeypatch.setenv("HOTLINE_DESK_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("HOTLINE_DESK_DATA_DIR", str(data))
    monkeypatch.delenv("HOTLINE_DB_PASSWORD", raising=False)
    monkeypatch.delenv("HOTLINE_AMI_SECRET", raising=False)
    return cfg, data


@pytest.fixture(scope="session", autouse=True)
def gui_thread_gc(qapp):
    """As in the desk (ui.app): garbage is collected on the GUI thread only, so no Qt object is
    ever destroyed by a collection that happened to run on a worker thread."""
    from ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector().start()
    yield collector
    collector.stop()


def _qasync_loop():
    """The desk's own loop (qasync on the QApplication) so Qt signals and asyncio meet as in the
    running desk; a plain asyncio loop would never deliver a queued Qt signal."""
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    return qasync.QEventLoop(app)


def pytest_asyncio_loop_factories(config, item):
    return {"qasync": _qasync_loop}



@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """One migrated + seeded embedded database, copied by each test that needs it (argon2
    hashing of the demo staff makes seeding take seconds)."""
    from ui.app import open_core

    path = tmp_path_factory.mktemp("seeded") / "desk.sqlite3"
    open_core(f"sqlite:///{path}", None, True).close()
    return path


@pytest.fixture
def core(tmp_path):
    """A migrated, seeded core on a fresh SQLite file — the ticket screens' default; a test
    module that needs both databases overrides it with one on ``db_url``."""
    from ticket_support import open_core

    c = open_core(f"sqlite:///{tmp_path}/d.db")
    yield c
    c.close()


@pytest.fixture
def ctx(core):
    """The DeskContext the ticket screens get, with its worker pool shut down afterwards."""
    from ticket_support import desk

    c = desk(core)
    yield c
    c.ops.shutdown()


@pytest.fixture
def pop_core(seeded_sqlite, tmp_path):
    """The call pop's tests: a core on a copy of the seeded embedded database."""
    import shutil

    from ui.app import open_core

    path = tmp_path / "desk.sqlite3"
    shutil.copy(seeded_sqlite, path)
    c = open_core(f"sqlite:///{path}", None, False)
    yield c
    c.close()


@pytest.fixture
def make_pop(qtbot, pop_core):
    """``make_pop(username, password)`` → a CallPop signed in as that demo account."""
    from ui.context import DeskContext
    from ui.ops import ChangeBus, Ops
    from ui.pop import CallPop

    made = []

    def make(username: str, password: str) -> CallPop:
        bus = ChangeBus()
        ops = Ops(bus)
        ctx = DeskContext(core=pop_core, actor=pop_core.auth.sign_in(username, password), ops=ops,
                          changes=bus, settings=None)
        pop = CallPop(ctx)
        qtbot.addWidget(pop)
        made.append(ops)
        return pop

    yield make
    for ops in made:
        ops.shutdown()
