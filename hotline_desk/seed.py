"""Loading the shipped reference data (resources/*.json) and the demo staff into a database.

Idempotent: codes are the keys, so running it again updates names and contacts and adds what is
new, and never duplicates. Demo staff that already exist are left alone (their passwords too).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from hotline_desk.paths import resources_dir
from hotline_desk.services.directory import load_districts, load_not_in_scope, load_taxonomy, load_units
from hotline_desk.services.staff import create_staff
from hotline_desk.store import models as m



def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def seed_reference(s: Session, root: Path | None = None) -> dict[str, int]:
    """Districts, taxonomy, units, not-in-scope reasons. Returns counts per kind."""
    root = root or resources_dir()
    counts = {
        "districts": load_districts(s, read_json(root / "districts.json")["districts"]),
        "subjects": load_taxonomy(s, read_json(root / "taxonomy.json")["subjects"]),
    }
    counts["units"] = load_units(s, read_json(root / "units.json")["units"])
    counts["not_in_scope"] = load_not_in_scope(s, read_json(root / "not_in_scope.json")["reasons"])
    return counts


def seed_demo_staff(s: Session, hasher: PasswordHasher, root: Path | None = None) -> int:
    """The demo accounts of resources/demo_staff.json (known passwords; demos and tests only)."""
    root = root or resources_dir()
    created = 0
    for row in read_json(root / "demo_staff.json")["staff"]:
        if s.scalar(sa.select(m.Staff.id).where(m.Staff.username == row["username"])) is not None:
            continue
        unit_id = None
        unit_code = row.get("unit") or row.get("unit_code")
        if unit_code:
            unit_id = s.scalar(sa.select(m.Unit.id).where(m.Unit.code == unit_code))
        create_staff(s, hasher, username=row["username"], display_name=row["display_name"],
                     password=row["password"], roles=row["roles"], unit_id=unit_id)
        created += 1
    return created
