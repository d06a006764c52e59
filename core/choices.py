"""NetBox-style choice sets: each value has a label and a colour for its badge.

Azure's enums are open strings, so an unknown value is stored as is and shown with a neutral colour.
"""


class ChoiceSet:
    CHOICES: tuple[tuple[str, str, str], ...] = ()
    UNKNOWN_COLOR = "gray"

    @classmethod
    def choices(cls):
        return [(value, label) for value, label, _ in cls.CHOICES]

    @classmethod
    def values(cls):
        return [value for value, _, _ in cls.CHOICES]

    @classmethod
    def label(cls, value):
        return next((label for v, label, _ in cls.CHOICES if v == value), value)

    @classmethod
    def color(cls, value):
        return next((color for v, _, color in cls.CHOICES if v == value), cls.UNKNOWN_COLOR)
