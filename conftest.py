"""Shared fixtures: a fresh in-memory DynamoDB Local per test run, users, signed-in clients."""

from __future__ import annotations

import random
import uuid

import pytest
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher, get_hashers, get_hashers_by_algorithm
from django.test import Client

from welltrack.caches import reset_all
from welltrack.testing import DynamoDBLocal, point_models_at, sign_in

PASSWORD = "correct-horse-battery-staple"

# Fixtures that tests in several folders use (uploads to a temporary directory or a moto S3, the
# access-matrix world).
pytest_plugins = ["files.testing", "tests.fixtures"]


class QuickBCryptSHA256PasswordHasher(BCryptSHA256PasswordHasher):
    """Still bcrypt, with the minimum cost, so hundreds of test users do not take minutes."""

    rounds = 4


@pytest.fixture(scope="session")
def dynamodb_local():
    server = DynamoDBLocal().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def welltrack_tables(dynamodb_local, django_test_environment):
    from django.conf import settings

    from welltrack.tables import ensure_tables

    point_models_at(dynamodb_local.endpoint, f"test{uuid.uuid4().hex[:8]}-")
    settings.PASSWORD_HASHERS = ["conftest.QuickBCryptSHA256PasswordHasher", *settings.PASSWORD_HASHERS]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    ensure_tables(log=lambda line: None)
    yield


def _random_loopback() -> str:
    # Each client gets its own address so per-address rate limits of one test do not reach another.
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Every test starts with this process's caches empty (welltrack.caches): none depends on another's order."""
    reset_all()


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=_random_loopback())


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=_random_loopback())


@pytest.fixture
def make_user():
    from accounts.services import user_register

    def make(name: str = "Erin Editor", email: str | None = None, password: str = PASSWORD, time_zone: str = "UTC"):
        email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
        return user_register(email=email, password=password, name=name, time_zone=time_zone)

    return make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user) -> Client:
        c = Client(REMOTE_ADDR=_random_loopback())
        sign_in(c, user)
        return c

    return make


@pytest.fixture
def signed_in_client(client, user):
    sign_in(client, user)
    return client


@pytest.fixture
def org_world(make_user):
    """An organization with an OWNER, ADMIN, EDITOR and VIEWER, and an outsider with their own org."""
    from orgs.testing import build_org_world

    return build_org_world(make_user)


@pytest.fixture
def project(org_world):
    from wells.testing import make_project

    return make_project(org_world)


@pytest.fixture
def well(org_world, project):
    from wells.testing import make_well

    return make_well(org_world, project)
