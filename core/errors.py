class DomainError(Exception):
    """A business rule refused an action; the message tells the user what to do instead.

    `field` names the form field the refusal belongs to, when there is one.
    """

    def __init__(self, message, *, field=None, code="refused"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
