import factory

from core.net import prefix_parse
from registry.models import Roa, RouteObject


class PrefixKeyFactory(factory.django.DjangoModelFactory):
    """Sets the index key (family, network, length) from `prefix`."""

    class Meta:
        abstract = True

    prefix = "80.10.0.0/16"
    family = factory.LazyAttribute(lambda o: prefix_parse(o.prefix).version)
    network = factory.LazyAttribute(lambda o: prefix_parse(o.prefix).network_address.packed)
    length = factory.LazyAttribute(lambda o: prefix_parse(o.prefix).prefixlen)


class RouteObjectFactory(PrefixKeyFactory):
    class Meta:
        model = RouteObject

    source = "RADB"
    origin = 13335
    mnt_by = "MAINT-EXAMPLE"


class RoaFactory(PrefixKeyFactory):
    class Meta:
        model = Roa

    max_length = 24
    asn = 13335
    trust_anchor = "ripe"
