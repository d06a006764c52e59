"""What a stay is a stay in, and how a group's figures were chosen (with a colour each)."""

from core.choices import ChoiceSet


class StayKindChoices(ChoiceSet):
    STEP = "step"
    STATE = "state"
    CHOICES = (
        (STEP, "Onboarding step", "blue"),
        (STATE, "Provider state", "purple"),
    )


class GroupLevelChoices(ChoiceSet):
    """Which group a figure comes from: the narrowest one with enough finished stays."""

    GROUP = "group"
    PROVIDER = "provider"
    ALL = "all"
    CONFIGURED = "configured"
    CHOICES = (
        (GROUP, "Provider, location and bandwidth", "green"),
        (PROVIDER, "Provider (all locations)", "blue"),
        (ALL, "All providers", "orange"),
        (CONFIGURED, "Configured threshold (too little history)", "gray"),
    )


def bandwidth_class(mbps: int) -> str:
    """The bandwidth classes durations are grouped by: providers build small and large circuits differently."""
    if mbps < 1000:
        return "<1G"
    if mbps < 10000:
        return "1-5G"
    return "10G+"


BANDWIDTH_CLASSES = (("<1G", "Below 1 Gbps"), ("1-5G", "1 to 5 Gbps"), ("10G+", "10 Gbps and more"))
