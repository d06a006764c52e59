from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from core.net import MAX_ASN
from validation.verdicts import prefixes_check


class Command(BaseCommand):
    help = (
        "Check prefixes against an AS number in a routing registry, as Microsoft peering validation would: "
        "one line per prefix with its IRR and RPKI verdicts. Exits 1 when any prefix would need validation."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefixes", nargs="+", help="e.g. 203.0.113.0/24 2001:db8::/32")
        parser.add_argument("--asn", required=True, help="The origin AS that must be registered, e.g. 64500")
        parser.add_argument("--registry", required=True, help="RADB, RIPENCC (or RIPE), ARIN, ALTDB, ...")

    def handle(self, *args, prefixes, asn, registry, **options):
        try:
            number = int(asn.upper().removeprefix("AS"))
        except ValueError:
            number = 0
        if not 0 < number < MAX_ASN:
            raise CommandError(f"“{asn}” is not an AS number such as 64500.")
        try:
            findings = prefixes_check(prefixes, asn=number, registry=registry)
        except DomainError as error:
            raise CommandError(error.message) from error
        for finding in findings:
            self.stdout.write(
                f"{finding.prefix}\t{finding.state}\tIRR: {finding.irr}\tRPKI: {finding.rpki}\t{finding.reason}"
            )
        failing = [finding.prefix for finding in findings if not finding.passes]
        if failing:
            raise CommandError(f"{len(failing)} of {len(findings)} prefixes would need validation.", returncode=1)
