import zoneinfo

from django import forms

from welltrack.forms import StyledForm

TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


class RegisterForm(StyledForm):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password and not like your email.",
    )
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="UTC", label="Time zone")


class LoginForm(StyledForm):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label="Current password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password and not like your email.",
    )


class PasswordResetRequestForm(StyledForm):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class SetPasswordForm(StyledForm):
    new_password = forms.CharField(
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password and not like your email.",
    )


class ProfileForm(StyledForm):
    name = forms.CharField(max_length=120)
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES, label="Time zone", help_text="Times you enter and see default to this zone."
    )
