"""Tables of docs/DOMAIN.md written out independently of the code, for the tests of more than one module."""

PROVIDER_STATES = ("NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning", "DeProvisioned")

# (bandwidth in Mbps, VNet links allowed on Standard/Local, on Premium)
LINK_LIMITS = [
    (50, 10, 20),
    (100, 10, 25),
    (200, 10, 25),
    (500, 10, 40),
    (1000, 10, 50),
    (2000, 10, 60),
    (5000, 10, 75),
    (10000, 10, 100),
    (40000, 10, 100),
    (100000, 10, 100),
]
