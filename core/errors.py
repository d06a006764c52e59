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
