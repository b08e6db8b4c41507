"""What every screen is handed: the :class:`DeskContext` built once by the composition root.

A screen takes ``ctx`` in its constructor and uses only this: ``ctx.core`` for use cases (always
through ``ctx.ops``, never on the GUI thread), ``ctx.actor`` for who is signed in,
``ctx.changes`` to refresh itself when something changed (here or at another desk),
``ctx.settings`` for the desk's configuration, and ``ctx.phone`` (``None`` when no PBX is
configured) for telephony. Nothing here builds anything; ``ui.app`` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ui.ops import ChangeBus, Ops

if TYPE_CHECKING:  # heavy imports stay out of the start-up path
    from telephony.desk import DeskPhone
    from ui.config import DeskConfig


@dataclass
class DeskContext:
    """The signed-in desk. ``actor`` is the core's ``Actor`` (who, which roles, which unit)."""

    core: Any
    actor: Any
    ops: Ops
    changes: ChangeBus
    settings: "DeskConfig"
    phone: "DeskPhone | None" = None
    #: set by the main window: ``open_ticket(ticket_id)`` shows a ticket wherever it is
    open_ticket: Callable[[Any], None] | None = field(default=None, repr=False)

    def notify(self, text: str, level: str = "info") -> None:
        """Show ``text`` in the message bar ("info" fades, "warning"/"error" stay)."""
        self.ops.notice.emit(level, text)

    @property
    def roles(self) -> frozenset[str]:
        """The signed-in staff member's role names (``agent``, ``shift_lead`` …)."""
        roles = getattr(self.actor, "roles", ()) or ()
        return frozenset(getattr(r, "value", r) for r in roles)

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))
