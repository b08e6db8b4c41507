"""What the signed-in role may see of a caller: the core's rule (services/access.py), applied
to data that reaches the desk from the PBX rather than from the core (the ringing number)."""
from __future__ import annotations

from typing import Any

from hotline_desk.phone import mask_name, mask_phone
from hotline_desk.services.access import sees_personal_data


def may_see_personal_data(actor: Any) -> bool:
    try:
        return sees_personal_data(actor)
    except (AttributeError, TypeError):  # an actor without roles sees nothing personal
        return False


def shown_number(actor: Any, number: str) -> str:
    if not number:
        return "号码未显示"
    return number if may_see_personal_data(actor) else mask_phone(number)


def shown_name(actor: Any, name: str) -> str:
    if not name:
        return ""
    return name if may_see_personal_data(actor) else mask_name(name)
