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
