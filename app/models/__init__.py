"""The data model, one module per part of the product."""

from .audit import AuditEntry
from .outbox import OutboxMessage
from .people import Organisation, Role, User
from .plan import Action, ActionStatus, ActionUpdate, Area, action_areas

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "Area",
    "AuditEntry",
    "Organisation",
    "OutboxMessage",
    "Role",
    "User",
    "action_areas",
]
