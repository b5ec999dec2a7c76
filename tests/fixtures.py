"""Fixtures shared across the suite's folders (registered by the root conftest's pytest_plugins)."""

from __future__ import annotations

import importlib
import uuid

import pytest

from accounts.services import user_register
from orgs.testing import build_org_world

APPS = ("accounts", "orgs", "wells", "files", "timeline", "welltrack")


@pytest.fixture(scope="module")
def world(django_test_environment, welltrack_tables):

    def make_user(name="User", email=None, password="correct-horse-battery-staple", time_zone="UTC"):
        return user_register(
            email=email or f"m-{uuid.uuid4().hex[:12]}@example.com", password=password, name=name, time_zone=time_zone
        )

    world = build_org_world(make_user)
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access_rows")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "build"):
            module.build(world)
    return world


@pytest.fixture
def generous_creation_limits(settings):
    """The per-user caps on new organizations and invitation emails, raised out of the way of
    tests that make dozens of both for one user as their fixtures (the access matrix, the API
    fuzzing). The caps themselves are tested in orgs/tests."""
    settings.WELLTRACK_ORGS_PER_USER_PER_DAY = 10_000
    settings.WELLTRACK_INVITES_PER_USER_PER_HOUR = 10_000
