"""The ``hotline-desk`` command: a newcomer can create a database, load demo data, manage staff
and walk a ticket from registration to closing."""
from __future__ import annotations

import pytest

from hotline_desk.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("HOTLINE_DB_URL", url)
    return url


def test_walkthrough_from_registration_to_closed(db, capsys):
    assert main(["walkthrough"]) == 0
    out = capsys.readouterr().out
    for step in ("1 登记", "2 转办", "3 签收", "4 答复", "5 审核", "6 回访", "已办结", "办结告知已生成"):
        assert step in out


def test_staff_commands_and_sign_in_errors(db, capsys, monkeypatch):
    assert main(["seed-demo"]) == 0
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "secret-123")
    assert main(["staff", "add", "wangfang", "--name", "王芳", "--roles", "agent,callback"]) == 0
    assert main(["staff", "disable", "wangfang"]) == 0
    assert main(["staff", "list"]) == 0
    out = capsys.readouterr().out
    assert "已创建账号 wangfang" in out and "wangfang" in out.splitlines()[-1] and "停用" in out
    monkeypatch.setenv("HOTLINE_PASSWORD", "secret-123")
    assert main(["ticket", "list", "--user", "wangfang"]) == 1
    assert "停用" in capsys.readouterr().err
    assert main(["staff", "add", "bad", "--name", "某", "--roles", "wizard"]) == 1
    assert "未知角色" in capsys.readouterr().err


def test_holidays_make_a_year_known(db, capsys):
    assert main(["upgrade"]) == 0
    assert main(["holidays", "add", "2027-01-01", "--note", "元旦"]) == 0
    assert main(["holidays", "list", "2027"]) == 0
    assert "未知" in capsys.readouterr().out
    assert main(["holidays", "complete", "2027"]) == 0
    assert main(["holidays", "list", "2027"]) == 0
    out = capsys.readouterr().out
    assert "2027-01-01  放假" in out and "已知" in out
