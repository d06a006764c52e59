"""Seed the provider catalog: real ExpressRoute connectivity providers and metro peering locations.

Data, not code: admins edit it afterwards. Re-running changes nothing (update_or_create by name).
"""

from django.db import migrations

LOCATIONS = {
    # name: (billing zone, nearest Azure region)
    "Amsterdam": ("Zone 1", "westeurope"),
    "Amsterdam2": ("Zone 1", "westeurope"),
    "London": ("Zone 1", "uksouth"),
    "London2": ("Zone 1", "uksouth"),
    "Frankfurt": ("Zone 1", "germanywestcentral"),
    "Paris": ("Zone 1", "francecentral"),
    "Dublin": ("Zone 1", "northeurope"),
    "Stockholm": ("Zone 1", "swedencentral"),
    "Zurich": ("Zone 1", "switzerlandnorth"),
    "Madrid": ("Zone 1", "spaincentral"),
    "Milan": ("Zone 1", "italynorth"),
    "Washington DC": ("Zone 1", "eastus"),
    "New York": ("Zone 1", "eastus"),
    "Chicago": ("Zone 1", "northcentralus"),
    "Dallas": ("Zone 1", "southcentralus"),
    "Silicon Valley": ("Zone 1", "westus"),
    "Seattle": ("Zone 1", "westus2"),
    "Toronto": ("Zone 1", "canadacentral"),
    "Singapore": ("Zone 2", "southeastasia"),
    "Hong Kong": ("Zone 2", "eastasia"),
    "Tokyo": ("Zone 2", "japaneast"),
    "Osaka": ("Zone 2", "japanwest"),
    "Sydney": ("Zone 2", "australiaeast"),
    "Melbourne": ("Zone 2", "australiasoutheast"),
    "Sao Paulo": ("Zone 3", "brazilsouth"),
    "Johannesburg": ("Zone 3", "southafricanorth"),
    "Dubai": ("Zone 3", "uaenorth"),
    "Mumbai": ("Zone 4", "centralindia"),
    "Chennai": ("Zone 4", "southindia"),
}

ALL_BANDWIDTHS = [50, 100, 200, 500, 1000, 2000, 5000, 10000]
UP_TO_10G = [50, 100, 200, 500, 1000, 2000, 5000, 10000]
UP_TO_1G = [50, 100, 200, 500, 1000]

PROVIDERS = {
    # name: (layer, bandwidths in Mbps, peering locations)
    "Equinix": (
        "Layer2",
        ALL_BANDWIDTHS,
        [
            "Amsterdam",
            "Amsterdam2",
            "London",
            "London2",
            "Frankfurt",
            "Paris",
            "Dublin",
            "Stockholm",
            "Zurich",
            "Madrid",
            "Milan",
            "Washington DC",
            "New York",
            "Chicago",
            "Dallas",
            "Silicon Valley",
            "Seattle",
            "Toronto",
            "Singapore",
            "Hong Kong",
            "Tokyo",
            "Osaka",
            "Sydney",
            "Melbourne",
            "Sao Paulo",
            "Dubai",
            "Mumbai",
        ],
    ),
    "Megaport": (
        "Layer2",
        ALL_BANDWIDTHS,
        [
            "Amsterdam",
            "London",
            "Frankfurt",
            "Paris",
            "Dublin",
            "Stockholm",
            "Zurich",
            "Madrid",
            "Washington DC",
            "New York",
            "Chicago",
            "Dallas",
            "Silicon Valley",
            "Seattle",
            "Toronto",
            "Singapore",
            "Hong Kong",
            "Tokyo",
            "Osaka",
            "Sydney",
            "Melbourne",
            "Johannesburg",
            "Mumbai",
        ],
    ),
    "Colt": (
        "Layer2",
        UP_TO_10G,
        [
            "Amsterdam",
            "London",
            "London2",
            "Frankfurt",
            "Paris",
            "Dublin",
            "Zurich",
            "Madrid",
            "Milan",
            "Tokyo",
            "Osaka",
            "Singapore",
        ],
    ),
    "Zayo": ("Layer2", UP_TO_10G, ["London", "Paris", "Washington DC", "New York", "Chicago", "Dallas", "Toronto"]),
    "Console Connect": ("Layer2", UP_TO_10G, ["London", "Hong Kong", "Singapore", "Sydney", "Tokyo"]),
    "AT&T NetBond": (
        "Layer3",
        UP_TO_10G,
        [
            "Amsterdam",
            "London",
            "Washington DC",
            "Chicago",
            "Dallas",
            "Silicon Valley",
            "Singapore",
            "Sydney",
            "Tokyo",
            "Sao Paulo",
        ],
    ),
    "Verizon": (
        "Layer3",
        UP_TO_10G,
        [
            "Amsterdam",
            "London",
            "Frankfurt",
            "Washington DC",
            "Chicago",
            "Dallas",
            "Silicon Valley",
            "Hong Kong",
            "Singapore",
            "Sydney",
            "Tokyo",
        ],
    ),
    "BT": ("Layer3", UP_TO_10G, ["Amsterdam", "London", "Washington DC", "Silicon Valley", "Singapore"]),
    "Orange": (
        "Layer3",
        UP_TO_10G,
        [
            "Amsterdam",
            "London",
            "Paris",
            "Silicon Valley",
            "Washington DC",
            "Hong Kong",
            "Singapore",
            "Sydney",
            "Johannesburg",
            "Dubai",
            "Mumbai",
        ],
    ),
    "NTT Communications": (
        "Layer3",
        UP_TO_10G,
        ["London", "Amsterdam", "Tokyo", "Osaka", "Singapore", "Hong Kong", "Sydney", "Silicon Valley"],
    ),
    "Tata Communications": (
        "Layer3",
        UP_TO_1G,
        ["Amsterdam", "London", "Singapore", "Hong Kong", "Mumbai", "Chennai", "Sao Paulo"],
    ),
    "Telstra Corporation": ("Layer3", UP_TO_10G, ["Sydney", "Melbourne", "Singapore", "Hong Kong", "London"]),
}


def seed_catalog(apps, schema_editor):
    PeeringLocation = apps.get_model("circuits", "PeeringLocation")
    ServiceProvider = apps.get_model("circuits", "ServiceProvider")
    locations = {}
    for name, (zone, region) in LOCATIONS.items():
        locations[name], _ = PeeringLocation.objects.update_or_create(
            name=name, defaults={"zone": zone, "azure_region": region}
        )
    for name, (layer, bandwidths, where) in PROVIDERS.items():
        provider, _ = ServiceProvider.objects.update_or_create(
            name=name, defaults={"layer": layer, "bandwidths_offered": bandwidths}
        )
        provider.peering_locations.add(*(locations[w] for w in where))


class Migration(migrations.Migration):
    dependencies = [("circuits", "0001_initial")]

    operations = [migrations.RunPython(seed_catalog, migrations.RunPython.noop)]
