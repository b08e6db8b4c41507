"""Where the desk's files are: the user's data folder and the shipped resources.

Light on purpose (standard library only): the desk's sign-in window needs these before
SQLAlchemy and the rest of the core are imported (cold start, bench/ui_coldstart.py)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from hotline_desk.errors import ResourcesMissing

ENV_RESOURCES = "HOTLINE_RESOURCES"


def data_dir() -> Path:
    """The user's data folder, shared by the desk and the CLI (so both open the same embedded
    database): $HOTLINE_DESK_DATA_DIR, else %LOCALAPPDATA%/hotline-desk on Windows (a SQLite file
    must not roam with the profile), ~/Library/Application Support/hotline-desk on macOS,
    $XDG_DATA_HOME/hotline-desk or ~/.local/share/hotline-desk elsewhere."""
    if env := os.environ.get("HOTLINE_DESK_DATA_DIR"):
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hotline-desk"


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'desk.sqlite3'}"


def resources_dir() -> Path:
    """The shipped data folder: $HOTLINE_RESOURCES if set, else resources/ beside the package
    (a source checkout, an editable install, the PyInstaller bundle). Every part of the desk
    that reads shipped data (seeding, synthetic data, translations, the demo staff list) should
    ask here rather than compute the path itself. Raises ResourcesMissing naming where it looked
    (a set $HOTLINE_RESOURCES that is wrong is an error, never silently ignored)."""
    override = os.environ.get(ENV_RESOURCES)
    candidate = Path(override) if override else Path(__file__).resolve().parent.parent / "resources"
    if candidate.is_dir():
        return candidate
    where = f"{ENV_RESOURCES}={candidate}" if override else str(candidate)
    raise ResourcesMissing([where])
