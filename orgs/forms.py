from django import forms

from welltrack.forms import StyledForm

INVITE_ROLES = [
    ("VIEWER", "Viewer — reads data, timeline and files"),
    ("EDITOR", "Editor — records wells, stages, events, files"),
    ("ADMIN", "Admin — also manages projects and members"),
]
ALL_ROLES = [("OWNER", "Owner"), ("ADMIN", "Admin"), ("EDITOR", "Editor"), ("VIEWER", "Viewer")]


class OrgForm(StyledForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrgDeleteForm(StyledForm):
    confirm_name = forms.CharField(label="Type the organization's name to confirm", max_length=200)


class InviteForm(StyledForm):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=INVITE_ROLES, initial="VIEWER")


class RoleForm(StyledForm):
    role = forms.ChoiceField(choices=ALL_ROLES)


class InvitationRegisterForm(StyledForm):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password and not like your email.",
    )
