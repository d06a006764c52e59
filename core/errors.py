from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    """A business rule refused an action; the message tells the user what to do instead.

    `field` names the form field the refusal belongs to, when there is one.
    """

    def __init__(self, message, *, field=None, code="refused"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def full_clean_or_refuse(obj, **kwargs):
    """Run the model's own validation, turning its first complaint into a DomainError for that field."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == NON_FIELD_ERRORS else field) from None


class DomainErrors(DomainError):
    """Several refusals found at once, so a form can show every one next to its field."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(" ".join(error.message for error in self.errors), field=self.errors[0].field)


class ErrorCollector:
    """Runs independent checks and gathers their refusals instead of stopping at the first.

    errors = ErrorCollector()
    with errors.check():
        validate_asn(asn)
    errors.raise_any()
    """

    def __init__(self):
        self.errors = []

    @contextmanager
    def check(self):
        try:
            yield
        except DomainErrors as refusals:
            self.errors.extend(refusals.errors)
        except DomainError as refusal:
            self.errors.append(refusal)

    def raise_any(self):
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
