"""The data model, one module per part of the product."""

from .audit import AuditEntry
from .contributions import (
    AboutYou,
    Channel,
    Contact,
    Contribution,
    ContributionSource,
    ContributionState,
    SafeguardingPhrase,
    Sentiment,
    Theme,
    contribution_actions,
    contribution_areas,
    contribution_themes,
)
from .events import Event, Registration
from .outbox import OutboxMessage
from .people import Organisation, Role, User
from .plan import Action, ActionStatus, ActionUpdate, Area, action_areas
from .responses import (
    Response,
    ResponseRevision,
    ResponseState,
    ResponseStatus,
    response_actions,
    response_areas,
    response_contributions,
)
from .subscriptions import Subscription

__all__ = [
    "Event",
    "Registration",
    "AboutYou",
    "Channel",
    "Contact",
    "Contribution",
    "ContributionSource",
    "ContributionState",
    "Response",
    "ResponseRevision",
    "ResponseState",
    "ResponseStatus",
    "SafeguardingPhrase",
    "Sentiment",
    "Subscription",
    "Theme",
    "contribution_actions",
    "contribution_areas",
    "contribution_themes",
    "response_actions",
    "response_areas",
    "response_contributions",
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
