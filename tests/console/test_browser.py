"""The console in a real headless Chromium (Playwright): a task's progress, a fault toggle.

Skips, with the reason, without /usr/bin/chromium or the playwright package.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest
from nabat.simulators.console import ConsoleHandle
from nabat.simulators.system.stack import SystemStack

from tests.console.tasks import start_voice_task

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def test_the_page_shows_a_running_task_and_a_toggle_changes_the_modem(
    console: ConsoleHandle, stack: SystemStack
) -> None:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    task_id = asyncio.run(start_voice_task(stack, 12))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(console.url)
            row = page.locator(f'#tasks tr[data-task-id="{task_id}"]')
            sync_api.expect(row.locator(".status")).to_have_text("RUNNING", timeout=20_000)
            sync_api.expect(row.locator(".processed")).not_to_have_text("0", timeout=30_000)
            toggle = page.locator('#gsm button[data-action="gsm.no_network"][data-modem="0"]')
            sync_api.expect(toggle).to_have_attribute("aria-pressed", "false", timeout=10_000)
            toggle.click()
            sync_api.expect(page.locator("#message")).to_have_text(
                "gsm.no_network: done", timeout=10_000
            )
            assert stack.gsm.control.modem(0)["registration"]["state"] == "not_registered"
            registration = page.locator('#gsm tr[data-modem="0"] .registration')
            sync_api.expect(registration).to_have_text("not_registered", timeout=10_000)
        finally:
            browser.close()
