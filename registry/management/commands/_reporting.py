from django.core.management.base import CommandError

from core.errors import DomainError


def import_reporting(command, service, **kwargs):
    """Run an import service, writing each malformed object to stderr; refusals become CommandError."""
    try:
        return service(on_malformed=command.stderr.write, **kwargs)
    except (DomainError, OSError) as error:
        raise CommandError(getattr(error, "message", str(error))) from error
