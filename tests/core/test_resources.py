"""Where the shipped data folder is found, and a clear error when it is not."""
from __future__ import annotations

from pathlib import Path

import pytest

import hotline_desk
from hotline_desk.errors import DeskError, ResourcesMissing
from hotline_desk.paths import ENV_RESOURCES, resources_dir


def test_beside_the_package_by_default(monkeypatch):
    monkeypatch.delenv(ENV_RESOURCES, raising=False)
    found = resources_dir()
    assert found == Path(hotline_desk.__file__).resolve().parent.parent / "resources"
    assert (found / "taxonomy.json").is_file()


def test_the_environment_variable_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_RESOURCES, str(tmp_path))
    assert resources_dir() == tmp_path


def test_a_missing_folder_names_where_it_looked(monkeypatch, tmp_path):
    gone = tmp_path / "nowhere"
    monkeypatch.setenv(ENV_RESOURCES, str(gone))
    with pytest.raises(ResourcesMissing) as e:
        resources_dir()
    assert isinstance(e.value, DeskError)
    assert str(gone) in str(e.value) and "找不到数据文件夹" in str(e.value)
    assert str(gone) in e.value.message_en and e.value.looked_in == [f"{ENV_RESOURCES}={gone}"]


def test_installed_without_resources_beside_the_package(monkeypatch, tmp_path):
    """An install that forgot the folder: the error names the place beside the package."""
    import hotline_desk.paths as paths

    fake_pkg = tmp_path / "site-packages" / "hotline_desk"
    fake_pkg.mkdir(parents=True)
    monkeypatch.delenv(ENV_RESOURCES, raising=False)
    monkeypatch.setattr(paths, "__file__", str(fake_pkg / "paths.py"))
    with pytest.raises(ResourcesMissing) as e:
        resources_dir()
    assert str(tmp_path / "site-packages" / "resources") in str(e.value)
