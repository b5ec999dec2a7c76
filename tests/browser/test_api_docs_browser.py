"""The API docs (Swagger UI from our own static files) render under the strict CSP of every page."""

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_without_inline_script_or_csp_violations(page, live_server_url, screenshot):
    response = page.goto(f"{live_server_url}/api/docs")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    page.get_by_text("WellTrack API").first.wait_for()
    # Operations come from /api/openapi.json, fetched by the initialising script.
    page.locator(".opblock").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/wells/{well_id}").first.click()
    page.get_by_role("button", name="Try it out").first.wait_for()
    screenshot(page, "api-docs")
    assert page.locator(".opblock").count() > 20
    assert [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e] == []
    assert page.console_errors == []
