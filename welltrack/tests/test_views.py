"""The form-page skeleton every app's pages use (welltrack.views.form_view)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from welltrack.errors import Conflict, RateLimited, ValidationFailed
from welltrack.views import Stale, form_view


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _request(method: str = "post", data: dict | None = None, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    request = getattr(RequestFactory(), method)("/thing/", data or {}, headers=headers)
    request.htmx = HtmxDetails(request)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _page(request, *, save, **kwargs):
    form = NameForm(request.POST or None)
    defaults = {"success_url": "/done/", "template": "thing.html", "context": {"thing": 1}}
    return form_view(request, form, save=save, **{**defaults, **kwargs})


def _refuse(error):
    def save(data):
        raise error

    return save


def test_get_shows_the_form_without_saving():
    response = _page(_request("get"), save=_refuse(AssertionError("saved on GET")))
    assert response.status_code == 200
    assert response.context_data["thing"] == 1 and not response.context_data["form"].is_bound


def test_invalid_input_is_422_without_saving():
    response = _page(_request(data={"name": ""}), save=_refuse(AssertionError("saved invalid input")))
    assert response.status_code == 422 and "name" in response.context_data["form"].errors


def test_a_service_refusal_goes_beside_the_field_it_names():
    response = _page(
        _request(data={"name": "x"}),
        save=_refuse(ValidationFailed({"fullName": "Taken."})),
        field_map={"fullName": "name"},
    )
    assert response.status_code == 422 and response.context_data["form"].errors["name"] == ["Taken."]


def test_a_conflict_keeps_the_input_rebound_to_the_stored_version_with_its_values():
    response = _page(
        _request(data={"name": "mine", "version": "3"}),
        save=_refuse(Conflict()),
        on_conflict=lambda exc: Stale(version=5, context={"current": "theirs"}),
    )
    form = response.context_data["form"]
    assert response.status_code == 409 and response.context_data["current"] == "theirs"
    assert form.data["version"] == "5" and form.data["name"] == "mine"
    assert form.non_field_errors() == [Conflict.default_message]


def test_a_conflict_without_a_handler_goes_to_the_error_page():
    with pytest.raises(Conflict):
        _page(_request(data={"name": "x"}), save=_refuse(Conflict()))


def test_too_many_attempts_is_429_with_retry_after_and_the_form():
    response = _page(_request(data={"name": "x"}), save=_refuse(RateLimited("Slow down.", retry_after=30)))
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert response.context_data["form"].non_field_errors() == ["Slow down."]


def test_success_says_so_and_redirects_where_the_result_says():
    request = _request(data={"name": "x"})
    response = _page(
        request, save=lambda data: data["name"].upper(), message=lambda r: f"Saved {r}.", success_url=lambda r: f"/{r}/"
    )
    assert (response.status_code, response["Location"]) == (302, "/X/")
    assert [str(m) for m in get_messages(request)] == ["Saved X."]


def test_success_for_htmx_redirects_the_whole_page():
    response = _page(_request(data={"name": "x"}, htmx=True), save=lambda data: None)
    assert response.status_code == 200 and response["HX-Redirect"] == "/done/"
