"""Names of the OpenAPI enums that would otherwise collide (several models have a `status`);
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] points here, so settings import no app."""

from circuits.checklist import STATUS_LABELS
from circuits.choices import ProviderOrderStatusChoices
from peerings.choices import TicketStatusChoices

ORDER_STATUSES = ProviderOrderStatusChoices.choices()
TICKET_STATUSES = TicketStatusChoices.choices()
STEP_STATUSES = list(STATUS_LABELS.items())
