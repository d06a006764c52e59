from django import forms
from django.conf import settings

from core.forms import UncutForm

from .models import ApiToken

LIFETIMES = (7, 30, 90, 365)


class ApiTokenForm(UncutForm):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length, help_text="What will use it, e.g. the deploy pipeline."
    )
    days = forms.TypedChoiceField(coerce=int, label="Expires after", initial=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.ONRAMP_API_TOKEN_MAX_DAYS
        self.fields["days"].choices = [(days, f"{days} days") for days in LIFETIMES if days <= longest] or [
            (longest, f"{longest} days")
        ]
