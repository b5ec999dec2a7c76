import re
import uuid

import pytest
from django.core import mail

pytestmark = pytest.mark.browser
PASSWORD = "a-long-rig-password-77"


def _register(page, base, name, email):
    page.goto(f"{base}/accounts/register/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_owner_invites_a_colleague_who_registers_through_the_link(browser, page, live_server_url, screenshot):
    owner_email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    colleague_email = f"colleague-{uuid.uuid4().hex[:8]}@example.com"
    _register(page, live_server_url, "Olga Owner", owner_email)
    screenshot(page, "orgs-empty-list")
    page.get_by_label("Name").fill("Mangistau Drilling")
    page.get_by_role("button", name="Create organization").click()
    assert page.get_by_role("heading", name="Mangistau Drilling").is_visible()
    screenshot(page, "orgs-dashboard-empty")

    page.get_by_role("link", name="Members").click()
    mail.outbox.clear()
    page.get_by_label("Email").fill(colleague_email)
    page.get_by_label("Role").select_option("VIEWER")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text(f"Invitation sent to {colleague_email}").is_visible()
    assert page.get_by_test_id("invitation-row").count() == 1
    screenshot(page, "orgs-members")
    link = re.search(r"(http://\S+/invitations/\S+/)", mail.outbox[-1].body).group(1)

    colleague = browser.new_context().new_page()
    colleague.goto(link.replace("http://127.0.0.1:8000", live_server_url))
    assert colleague.get_by_text("Olga Owner invited").is_visible()
    screenshot(colleague, "orgs-invitation")
    colleague.get_by_label("Name").fill("Colin Colleague")
    colleague.get_by_label("Password").fill(PASSWORD)
    colleague.get_by_role("button", name="Create account and join").click()
    assert colleague.get_by_role("heading", name="Mangistau Drilling").is_visible()
    colleague.goto(f"{live_server_url}/orgs/")
    row = colleague.get_by_test_id("org-row")
    assert "Mangistau Drilling" in row.inner_text()
    assert colleague.get_by_test_id("org-role").inner_text() == "Viewer"
    screenshot(colleague, "orgs-list-as-viewer")
    assert page.console_errors == []
