from datetime import date

from django import forms
from django.utils import timezone

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class AsOfForm(forms.Form):
    """The date the billing figures are computed for; today when not given or not valid."""

    as_of = forms.DateField(
        required=False,
        label="As of",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Costs are counted up to and including this day.",
    )

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(f"Choose a date between {EARLIEST} and {LATEST}.")
        return value

    def as_of_date(self) -> date:
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()
