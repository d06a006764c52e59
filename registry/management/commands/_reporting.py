from django.core.management.base import CommandError

from core.errors import DomainError


def add_refusal_arguments(parser):
    """The two ways to accept a file the importers would otherwise refuse."""
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="Accept files that hold no objects at all and empty the set (an empty or HTML body is still refused).",
    )
    parser.add_argument(
        "--max-malformed",
        type=int,
        metavar="N",
        help="Refuse the import when more than N records are malformed (default: 10, or 1%% of the records).",
    )


def import_reporting(command, service, **kwargs):
    """Run an import service, writing each malformed object to stderr; refusals become CommandError (exit 1)."""
    try:
        return service(on_malformed=command.stderr.write, **kwargs)
    except (DomainError, OSError) as error:
        raise CommandError(f"Refused: {getattr(error, 'message', str(error))}") from error
