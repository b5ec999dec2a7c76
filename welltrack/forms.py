"""Helpers shared by every app's forms."""

from django import forms
from django.forms.renderers import TemplatesSetting

from welltrack.errors import ValidationFailed


def apply_errors(form: forms.Form, error: ValidationFailed, field_map: dict[str, str] | None = None) -> None:
    """Put a service's field errors next to the form's fields (unknown fields: on the form)."""
    field_map = field_map or {}
    for field, message in error.errors.items():
        name = field_map.get(field, field)
        form.add_error(name if name in form.fields else None, message)


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes (and ``is-invalid`` when they have errors).

    Rendered with ``{{ form }}`` through templates/forms/ (FORM_RENDERER in settings).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
