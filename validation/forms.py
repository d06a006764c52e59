from django import forms

from core.forms import UncutForm
from peerings.models import PrefixValidationTicket
from peerings.services import PASSING_PREFIX_STATES

from .evidence import MAX_EVIDENCE_BYTES

MAX_EVIDENCE_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is size- and content-checked by the ticket_open service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_EVIDENCE_FILES} files.")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class TicketOpenForm(UncutForm):
    prefixes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, help_text="The prefixes you prove you may advertise."
    )
    note = forms.CharField(
        max_length=PrefixValidationTicket._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the evidence shows, e.g. who holds the prefixes and the ASN, and since when.",
    )
    evidence = MultipleFileField(
        required=False,
        help_text=f"A Letter of Authorization or registry extract: PDF, PNG or JPEG, "
        f"at most {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB each.",
    )

    def __init__(self, *args, peering, **kwargs):
        super().__init__(*args, **kwargs)
        pending = [p for p in peering.advertised_prefixes.all() if p.validation_state not in PASSING_PREFIX_STATES]
        self.fields["prefixes"].choices = [(p.prefix, f"{p.prefix} ({p.validation_state})") for p in pending]
        self.fields["prefixes"].initial = [p.prefix for p in pending]


class TicketDecisionForm(UncutForm):
    """Approve or withdraw (reason optional) and reject (reason required)."""

    reason = forms.CharField(
        required=False,
        max_length=PrefixValidationTicket._meta.get_field("decision_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if reason_required:
            self.fields["reason"].error_messages["required"] = "Say why, so the engineer knows what to fix."
