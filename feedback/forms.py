from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Case
from .services import COMMENT_MAX, REASONS

STAR_CHOICES = [
    (5, _("★★★★★ Very satisfied")),
    (4, _("★★★★ Satisfied")),
    (3, _("★★★ Acceptable")),
    (2, _("★★ Dissatisfied")),
    (1, _("★ Very dissatisfied")),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How was it?"), choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    reasons = forms.MultipleChoiceField(
        label=_("What could have been better? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complaint = forms.BooleanField(
        label=_("This is a complaint: I want the centre to call me back"), required=False
    )

    def __init__(self, *args, service: str, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = self.fields["reasons"]
        assert isinstance(reasons, forms.MultipleChoiceField)  # declared above
        reasons.choices = list(REASONS[service].items())


class CaseStepForm(forms.Form):
    # The state the form was shown in: a form sent twice, or from a page another member of
    # staff has since acted on, must not do the next step with this text.
    step = forms.ChoiceField(choices=Case.State.choices, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class CaseAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Case.Answer.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why do you dispute it?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
