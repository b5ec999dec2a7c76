import zoneinfo
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from wells.models import ProjectStatus
from wells.services.validation import PROJECT_STATUSES, STAGE_STATUSES, STAGE_TYPES, USER_EVENT_TYPES, WELL_STATUSES
from wells.times import EARLIEST, LATEST
from welltrack.forms import StyledForm

ZONES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]
# The browser's hint of the span; the services check it (wells.times), in UTC.
LOCAL_DT = forms.DateTimeInput(
    attrs={
        "type": "datetime-local",
        "step": 60,
        "min": f"{EARLIEST:%Y-%m-%dT%H:%M}",
        "max": f"{LATEST:%Y-%m-%dT%H:%M}",
    },
    format="%Y-%m-%dT%H:%M",
)
DATE = forms.DateInput(attrs={"type": "date", "min": f"{EARLIEST:%Y-%m-%d}", "max": f"{LATEST:%Y-%m-%d}"})


INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed, left naive.

    Django would read it in the current (user's) zone and refuse both a skipped and a
    repeated DST hour with one vague message; the services read it in the WELL's zone
    (wells.times.parse_moment), refuse a skipped hour saying why, and take the first of a
    repeated hour, the same as the API does.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def _choices(values):
    return [(v, v.replace("_", " ").title()) for v in values]


class VersionedForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProjectForm(VersionedForm):
    name = forms.CharField(max_length=200)
    location = forms.CharField(max_length=200, required=False, help_text="Region, basin or block.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    status = forms.ChoiceField(choices=_choices(PROJECT_STATUSES), initial=ProjectStatus.ACTIVE)


class WellForm(VersionedForm):
    name = forms.CharField(max_length=200)
    well_number = forms.CharField(max_length=100, required=False, label="Well number", help_text="The official number.")
    status = forms.ChoiceField(choices=_choices(WELL_STATUSES), initial="PLANNING")
    latitude = forms.CharField(required=False, help_text="Decimal degrees, -90 to 90.")
    longitude = forms.CharField(required=False, help_text="Decimal degrees, -180 to 180.")
    depth = forms.CharField(required=False, label="Total depth (m)")
    start_date = forms.DateField(required=False, widget=DATE, label="Start date")
    end_date = forms.DateField(required=False, widget=DATE, label="End date")
    time_zone = forms.ChoiceField(
        choices=ZONES, label="Time zone", help_text="Times of this well are entered and shown in this zone."
    )
    metadata = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line, as key: value (e.g. rig: Rig 7).",
    )


class StageForm(VersionedForm):
    name = forms.CharField(max_length=200)
    stage_type = forms.ChoiceField(choices=_choices(STAGE_TYPES), label="Type")
    status = forms.ChoiceField(choices=_choices(STAGE_STATUSES), initial="PLANNED")
    start = LocalDateTimeField(required=False, widget=LOCAL_DT, input_formats=INPUT_FORMATS)
    end = LocalDateTimeField(required=False, widget=LOCAL_DT, input_formats=INPUT_FORMATS)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class EventForm(VersionedForm):
    event_type = forms.ChoiceField(choices=_choices(USER_EVENT_TYPES), label="Type")
    title = forms.CharField(max_length=200)
    stage = forms.ChoiceField(choices=[("", "— none —")], required=False)
    start = LocalDateTimeField(widget=LOCAL_DT, input_formats=INPUT_FORMATS)
    end = LocalDateTimeField(
        required=False, widget=LOCAL_DT, input_formats=INPUT_FORMATS, help_text="Leave empty for an instant."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    metadata = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line, as key: value."
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "— none —")] + [(s.stage_id, s.name) for s in stages]


class StageDeleteForm(StyledForm):
    events = forms.ChoiceField(
        choices=[("keep", "Keep its events on the well"), ("delete", "Delete its events too")],
        widget=forms.RadioSelect,
        initial="keep",
        label="What happens to this stage's events?",
    )
