"""Forms of the files pages."""

from django import forms

from welltrack.forms import StyledForm


class TagsForm(StyledForm):
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"placeholder": "daily report, mud log"}),
    )
    # Required: without it a stale form would silently overwrite someone else's tags.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            # A hidden field's error would be shown nowhere: say it above the form.
            self.add_error(None, "This form is incomplete (no version); reload the page and try again.")
        return cleaned
