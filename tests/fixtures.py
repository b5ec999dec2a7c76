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
