"""The API's docs page (/api/v1/docs, django-ninja's Swagger UI from its own static files) in a
real browser: it lists the operations, under the project's Content-Security-Policy (the page
fixture fails on any refusal), and nothing it loads comes from anywhere but this server."""

from playwright.sync_api import expect


def test_the_api_docs_page_lists_the_operations_offline_under_the_policy(page, live_server_url, shoot):
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((live_server_url, "data:", "blob:")) else elsewhere.append(request.url)
        ),
    )
    answer = page.goto("/api/v1/docs")
    assert answer is not None and answer.status == 200
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Kithkin API")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/touches").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/follow-ups/due")).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/v1/follow-ups/due").click()
    expect(page.get_by_text("within", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    shoot(page, "docs")
    assert not elsewhere, f"the docs page reached beyond this server: {elsewhere}"
