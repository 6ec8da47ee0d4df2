// Keyboard only: creating a key with Tab, Enter, Space and the arrow keys; the row menu and the
// dialogs keep focus where a keyboard user expects it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, setUp, signIn, snap, startPlumb } from "../harness.mjs";

describe("keyboard", () => {
  let plumb;
  let browser;
  let page;

  /** What has focus: its accessible-ish name (aria-label, label or text) and whether it is in a dialog. */
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement;
      const label = element.getAttribute("aria-label") ?? element.labels?.[0]?.textContent ?? element.textContent;
      return { name: label.trim(), inDialog: Boolean(element.closest("dialog[open]")), role: element.getAttribute("role") };
    });

  /** Presses Tab until the element named `name` has focus. */
  const tabTo = async (name, limit = 30) => {
    for (let presses = 0; presses < limit; presses += 1) {
      if ((await focused()).name === name) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`Tab never reached ${name}`);
  };

  before(async () => {
    plumb = await startPlumb();
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole("heading", { name: "No API keys yet" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    const code = await plumb?.stop();
    assert.equal(code, 0, "plumb serve exits cleanly on SIGTERM");
    assert.deepEqual(browser?.problems ?? [], []);
  });

  it("a key can be created with Tab, Enter, Space and the arrow keys alone", async () => {
    await tabTo("+ Create API key");
    await page.keyboard.press("Enter");
    assert.deepEqual(await focused(), { name: "Description", inDialog: true, role: null });

    await page.keyboard.type("Keyboard made");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).name, "Read-only");
    await page.keyboard.press("ArrowUp");
    assert.equal((await focused()).name, "Read and write");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).name, "Expires on");
    // The date's day, month and year, the address list and the rate limit, then Cancel.
    await tabTo("Allowed addresses");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).name, "Requests per minute");
    await tabTo("Create key");
    await snap(page, "30-keyboard-create");
    await page.keyboard.press("Space");

    await page.getByRole("dialog", { name: "API key created" }).waitFor();
    assert.equal((await focused()).name, "Copy");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).name, "Done");
    await page.keyboard.press("Enter");
    assert.equal((await focused()).name, "+ Create API key", "focus returns to the button that opened the dialog");
    const row = page.getByRole("row").filter({ hasText: "Keyboard made" });
    await row.getByText("Read & write").waitFor();
  });

  it("focus stays inside an open dialog and Escape closes it", async () => {
    await page.keyboard.press("Enter");
    for (let presses = 0; presses < 8; presses += 1) {
      await page.keyboard.press("Tab");
      assert.equal((await focused()).inDialog, true, `Tab ${presses + 1} left the dialog`);
    }
    await page.keyboard.press("Shift+Tab");
    assert.equal((await focused()).inDialog, true);

    await page.keyboard.press("Escape");

    await page.getByRole("dialog").waitFor({ state: "hidden" });
    assert.equal((await focused()).name, "+ Create API key");
  });

  it("the row menu opens with Enter, moves with the arrow keys and closes with Escape", async () => {
    await tabTo("Actions for Keyboard made");
    await page.keyboard.press("Enter");
    assert.deepEqual(await focused(), { name: "Copy key", inDialog: false, role: "menuitem" });
    await page.keyboard.press("ArrowDown");
    assert.equal((await focused()).name, "Edit");
    await page.keyboard.press("End");
    assert.equal((await focused()).name, "Delete");
    await page.keyboard.press("ArrowDown");
    assert.equal((await focused()).name, "Copy key", "ArrowDown wraps to the first item");
    await snap(page, "31-keyboard-menu");
    await page.keyboard.press("Escape");
    assert.equal((await focused()).name, "Actions for Keyboard made");
    assert.equal(await page.getByRole("menu").count(), 0);

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const edit = page.getByRole("dialog", { name: "Update API key" });
    await edit.waitFor();
    assert.equal((await focused()).name, "Description");
    await page.keyboard.press("Escape");
    await edit.waitFor({ state: "hidden" });
    assert.equal((await focused()).name, "Actions for Keyboard made", "focus returns to the menu button");
  });
});
