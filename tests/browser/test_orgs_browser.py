import re
import uuid
from datetime import UTC

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "a-long-rig-password-77"


def _register(page, base, name, email):
    page.goto(f"{base}/accounts/register/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def _history(org_id, count):
    """Entries as the wells area writes them, straight into the shared DynamoDB Local."""
    from datetime import datetime, timedelta

    from welltrack.actor import Actor
    from welltrack.audit import audit_record
    from welltrack.dynamodb import transact_write

    start = datetime.now(UTC) - timedelta(hours=1)
    for n in range(count):
        with transact_write() as tx:
            audit_record(
                tx,
                actor=Actor("someone-gone", "10.0.0.9"),
                org_id=org_id,
                entity_type="WELL",
                entity_id=f"w-{n}",
                entity_name=f"JS-{n:02d}",
                action="UPDATE",
                changes={"status": {"old": "PLANNING", "new": "DRILLING"}},
                timestamp=start + timedelta(seconds=n),
            )


def _nav(page, name):
    return page.get_by_role("navigation", name="Main navigation").get_by_role("link", name=name, exact=True)


def test_owner_invites_a_colleague_who_registers_through_the_link(browser, page, live_server_url, screenshot):
    owner_email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    colleague_email = f"colleague-{uuid.uuid4().hex[:8]}@example.com"
    _register(page, live_server_url, "Olga Owner", owner_email)
    screenshot(page, "orgs-empty-list")
    page.get_by_label("Name").fill("Mangistau Drilling")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name="Mangistau Drilling")).to_be_visible()
    screenshot(page, "orgs-dashboard-empty")

    _nav(page, "Members").click()
    mail.outbox.clear()
    page.get_by_label("Email").fill(colleague_email)
    page.get_by_label("Role").select_option("VIEWER")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {colleague_email}")).to_be_visible()
    expect(page.get_by_test_id("invitation-row")).to_have_count(1)
    screenshot(page, "orgs-members")
    link = re.search(r"(http://\S+/invitations/\S+/)", mail.outbox[-1].body).group(1)

    # Signed in as someone else, the link says whom it is for.
    page.goto(link.replace("http://127.0.0.1:8000", live_server_url))
    expect(page.get_by_text(f"This invitation is for {colleague_email}")).to_be_visible()
    screenshot(page, "orgs-invitation-someone-else")

    colleague = browser.new_context().new_page()
    colleague.goto(link.replace("http://127.0.0.1:8000", live_server_url))
    expect(colleague.get_by_text("Olga Owner invited")).to_be_visible()
    screenshot(colleague, "orgs-invitation")
    colleague.get_by_label("Name").fill("Colin Colleague")
    colleague.get_by_label("Password").fill(PASSWORD)
    colleague.get_by_role("button", name="Create account and join").click()
    expect(colleague.get_by_role("heading", name="Mangistau Drilling")).to_be_visible()
    colleague.goto(f"{live_server_url}/orgs/")
    expect(colleague.get_by_test_id("org-row")).to_contain_text("Mangistau Drilling")
    expect(colleague.get_by_test_id("org-role")).to_have_text("Viewer")
    screenshot(colleague, "orgs-list-as-viewer")

    # The org switcher loads its list only when opened.
    colleague.get_by_test_id("org-switcher").click()
    colleague.locator("#org-switcher-menu").get_by_text("Mangistau Drilling").wait_for()
    screenshot(colleague, "orgs-switcher-open")
    colleague.locator("#org-switcher-menu").get_by_text("Mangistau Drilling").click()
    _nav(colleague, "Activity").click()
    expect(colleague.get_by_text("Colin Colleague joined the organization as VIEWER")).to_be_visible()
    assert "from 127.0.0.1" not in colleague.content()  # addresses are for admins
    screenshot(colleague, "orgs-activity-as-viewer")

    # The used link says so; the owner sees the newcomer and the activity with addresses.
    page.goto(link.replace("http://127.0.0.1:8000", live_server_url))
    expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
    screenshot(page, "orgs-invitation-used")
    page.goto(f"{live_server_url}/orgs/")
    page.get_by_test_id("org-row").click()
    _nav(page, "Members").click()
    expect(page.get_by_test_id("member-row")).to_have_count(2)
    page.get_by_label("Role of Colin Colleague").select_option("EDITOR")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Colin Colleague is now editor.")).to_be_visible()
    screenshot(page, "orgs-members-after-join")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "orgs-members-narrow")
    page.set_viewport_size({"width": 1280, "height": 860})
    _nav(page, "Activity").click()
    expect(page.get_by_text("Olga Owner changed the role of Colin Colleague from VIEWER to EDITOR")).to_be_visible()
    expect(page.get_by_text("from 127.0.0.1").first).to_be_visible()
    screenshot(page, "orgs-activity-as-owner")

    # A long history: "Older" brings the next entries into the same list (htmx), no reload.
    org_id = re.search(r"/orgs/([^/]+)/activity/", page.url).group(1)
    _history(org_id, 30)
    page.reload()
    expect(page.get_by_test_id("activity-row")).to_have_count(25)
    page.get_by_test_id("activity-older").click()
    expect(page.get_by_test_id("activity-row")).to_have_count(34)
    expect(page.get_by_text("Someone changed the status of well JS-00 from PLANNING to DRILLING")).to_be_visible()
    screenshot(page, "orgs-activity-older")
    assert "cursor=" not in page.url

    page.goto(f"{live_server_url}/orgs/")
    page.get_by_test_id("org-row").click()
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Description").fill("Rigs of the Mangyshlak peninsula")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Organization saved.")).to_be_visible()
    screenshot(page, "orgs-settings")
    page.get_by_role("link", name="Delete organization…").click()
    page.get_by_label("Type the organization's name to confirm").fill("Mangistau")
    page.get_by_role("button", name="Delete Mangistau Drilling").click()
    expect(page.get_by_text("Type the organization's name, Mangistau Drilling, to confirm.")).to_be_visible()
    screenshot(page, "orgs-delete-refused")
    page.get_by_label("Type the organization's name to confirm").fill("Mangistau Drilling")
    page.get_by_role("button", name="Delete Mangistau Drilling").click()
    expect(page.get_by_text("Mangistau Drilling was deleted.")).to_be_visible()

    # The colleague's very next request finds nothing there.
    response = colleague.reload()
    assert response.status == 404
    expect(colleague.get_by_role("heading", name="Not found")).to_be_visible()
    screenshot(colleague, "orgs-deleted-org-404")
    assert page.console_errors == []


def _sign_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_large_org_pages_its_members_and_an_interrupted_deletion_is_finished(
    page, live_server_url, screenshot, make_user, monkeypatch
):
    from conftest import PASSWORD as USER_PASSWORD
    from orgs import selectors
    from orgs.services import org_create
    from orgs.testing import OutageAfter, add_member
    from welltrack.actor import Actor
    from welltrack.faults import injected

    monkeypatch.setattr(selectors, "MEMBERS_PAGE_SIZE", 4)  # a "large" org in a few members
    owner = make_user(name="Olga Owner")
    org = org_create(actor=Actor(owner.user_id, "127.0.0.1"), name="Aral Offshore")
    crowd = [make_user(name=f"Crew Member {n}") for n in range(6)]
    for user in crowd:
        add_member(org, user, "EDITOR")
    _sign_in(page, live_server_url, owner.email, USER_PASSWORD)
    page.goto(f"{live_server_url}/orgs/{org.org_id}/members/")
    expect(page.get_by_test_id("member-row")).to_have_count(4)
    expect(page.get_by_test_id("members-first")).to_have_count(0)
    screenshot(page, "orgs-members-first-page")
    page.get_by_test_id("members-next").click()
    expect(page.get_by_test_id("members-first")).to_be_visible()
    expect(page.get_by_test_id("members-next")).to_have_count(0)
    expect(page.get_by_test_id("member-row")).to_have_count(3)
    screenshot(page, "orgs-members-last-page")

    # A member of the last page: their activity, with them chosen under "Who".
    row = page.get_by_test_id("member-row").filter(has_text="Crew Member").first
    name = row.get_by_test_id("member-name").inner_text().strip()
    row.get_by_role("link", name=f"Activity of {name}").click()
    expect(page.get_by_label("Who")).to_have_value(re.compile(".+"))
    assert page.get_by_label("Who").locator("option:checked").inner_text().strip() == name
    screenshot(page, "orgs-activity-of-a-member")

    # An outage after the organization itself was deleted: the page says the database failed.
    page.goto(f"{live_server_url}/orgs/{org.org_id}/delete/")
    page.get_by_label("Type the organization's name to confirm").fill("Aral Offshore")
    with injected(OutageAfter(2)):
        page.get_by_role("button", name="Delete Aral Offshore").click()
        expect(page.get_by_text("Aral Offshore is deleted, but the database stopped answering")).to_be_visible()
    screenshot(page, "orgs-delete-cut-short")
    page.goto(f"{live_server_url}/orgs/")
    expect(page.get_by_test_id("org-unfinished")).to_contain_text("Deleting Aral Offshore was interrupted")
    screenshot(page, "orgs-list-unfinished-deletion")
    page.get_by_role("link", name="Finish deleting").click()
    expect(page.get_by_role("heading", name="Finish deleting Aral Offshore")).to_be_visible()
    screenshot(page, "orgs-delete-finish")
    page.get_by_role("button", name="Finish deleting").click()
    expect(page.get_by_text("Aral Offshore was deleted.")).to_be_visible()
    expect(page.get_by_test_id("org-unfinished")).to_have_count(0)
    screenshot(page, "orgs-list-after-finishing")
    assert page.console_errors == []
