import re
import uuid

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "a-long-rig-password-77"


def test_register_sign_out_sign_in_and_see_your_name(page, live_server_url, screenshot):
    email = f"browser-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{live_server_url}/accounts/register/")
    screenshot(page, "accounts-register")
    page.get_by_label("Name").fill("Bea Browser")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Time zone").select_option("Asia/Almaty")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_test_id("user-name").inner_text() == "Bea Browser"

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="Sign in to WellTrack").is_visible()
    assert page.get_by_text("You have signed out.").is_visible()

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("That email and password do not match an account.").is_visible()
    screenshot(page, "accounts-login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_test_id("user-name").inner_text() == "Bea Browser"
    screenshot(page, "accounts-signed-in")
    assert page.console_errors == []


def test_a_locked_sign_in_and_a_refused_reset_request_say_how_long_to_wait(page, live_server_url, screenshot):
    email = f"locked-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{live_server_url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("a-wrong-guess-000")
        page.get_by_role("button", name="Sign in").click()
        assert page.get_by_text("That email and password do not match an account.").is_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a-wrong-guess-000")
    page.get_by_role("button", name="Sign in").click()
    refusal = page.get_by_text("Too many failed sign-in attempts for this email. Please try again in")
    assert refusal.is_visible()
    assert re.search(r"in 1[56] minutes\.", refusal.inner_text())
    screenshot(page, "accounts-login-locked")

    for _ in range(5):
        page.goto(f"{live_server_url}/accounts/password/reset/")
        page.get_by_label("Email").fill(email)
        page.get_by_role("button").filter(has_text="link").click()
        assert page.get_by_text("If an account exists").is_visible()
    page.goto(f"{live_server_url}/accounts/password/reset/")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button").filter(has_text="link").click()
    assert page.get_by_text("Too many password-reset requests for this email. Please try again in").is_visible()
    screenshot(page, "accounts-reset-refused")
    assert page.console_errors == []
