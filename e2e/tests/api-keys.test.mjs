// Settings → API keys, end to end: every change made in the page is checked against /v2 with the
// key itself, the way an integration would see it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ADMIN,
  clipboard,
  eventually,
  launchBrowser,
  setUp,
  signIn,
  snap,
  startPlumb,
  v2,
} from "../harness.mjs";

const DESCRIPTION = "Inventory sync";

describe("Settings → API keys", () => {
  let plumb;
  let browser;
  let page;
  let key;

  const row = () => page.getByRole("row").filter({ hasText: DESCRIPTION });
  const dialog = (name) => page.getByRole("dialog", { name });
  const openMenu = async (description) => {
    await page.getByRole("button", { name: `Actions for ${description}` }).click();
    return page.getByRole("menu", { name: `Actions for ${description}` });
  };

  before(async () => {
    plumb = await startPlumb();
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  after(async () => {
    await browser?.close();
    const code = await plumb?.stop();
    assert.equal(code, 0, "plumb serve exits cleanly on SIGTERM");
    assert.deepEqual(browser?.problems ?? [], []);
  });

  it("a new organization sees the empty state and a Create button", async () => {
    await page.getByRole("heading", { name: "No API keys yet" }).waitFor();
    await page.getByRole("button", { name: "+ Create API key" }).waitFor();
    await snap(page, "10-api-keys-empty");
  });

  it("creating a read-only key shows it once; copied, it reads groups and is refused writes", async () => {
    await page.getByRole("button", { name: "+ Create API key" }).click();
    const create = dialog("Create API key");
    await create.getByLabel("Description").fill(DESCRIPTION);
    await create.getByRole("radio", { name: "Read-only" }).check();
    await create.getByRole("radio", { name: "Read and write" }).waitFor();
    await snap(page, "11-create-dialog");
    await create.getByRole("button", { name: "Create key" }).click();

    const created = dialog("API key created");
    const shown = await created.getByLabel("API key").inputValue();
    assert.match(shown, /^plumb_[0-9A-Za-z]{38}$/);
    await created.getByRole("button", { name: "Copy" }).click();
    key = await eventually(async () => (await clipboard(page)) === shown && shown, { message: "the key on the clipboard" });
    await snap(page, "12-key-created");
    await created.getByRole("button", { name: "Done" }).click();

    await row().waitFor();
    const cells = await row().getByRole("cell").allTextContents();
    assert.equal(cells[0], `plumb_****${key.slice(-4)}`);
    assert.deepEqual(cells.slice(1, 4), [DESCRIPTION, "Read-only", "--"]);
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200);
    assert.equal(await v2(plumb.baseUrl, key, "POST", "/v2/groups", { name: "Refused" }), 403);
  });

  it("Copy key in the row menu puts the full key on the clipboard", async () => {
    await page.evaluate(() => navigator.clipboard.writeText(""));
    const menu = await openMenu(DESCRIPTION);
    await menu.getByRole("menuitem", { name: "Copy key" }).click();

    await page.getByRole("status").getByText(`Copied the key “${DESCRIPTION}”`).waitFor();
    assert.equal(await clipboard(page), key);
  });

  it("editing the key to read and write lets its very next write succeed", async () => {
    const menu = await openMenu(DESCRIPTION);
    await snap(page, "13-row-menu");
    await menu.getByRole("menuitem", { name: "Edit" }).click();
    const edit = dialog("Update API key");
    assert.equal(await edit.getByLabel("Description").inputValue(), DESCRIPTION);
    assert.equal(await edit.getByRole("radio", { name: "Read-only" }).isChecked(), true);

    await edit.getByRole("radio", { name: "Read and write" }).check();
    await edit.getByRole("button", { name: "Save" }).click();

    await edit.waitFor({ state: "hidden" });
    await row().getByText("Read & write").waitFor();
    assert.equal(await v2(plumb.baseUrl, key, "POST", "/v2/groups", { name: "Servers" }), 201);
  });

  it("Last used changes from -- to a time once the key has been used", async () => {
    // The key was used above; usage is written behind within about a second.
    const lastUsed = await eventually(
      async () => {
        await page.reload();
        const text = (await row().getByRole("cell").nth(3).textContent()).trim();
        return text !== "--" && text;
      },
      { timeout: 4000, interval: 500, message: "Last used to show a time" },
    );
    assert.match(lastUsed, /\d/);
    const title = await row().getByRole("cell").nth(3).locator("time").getAttribute("title");
    assert.match(title, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  });

  it("search filters the keys by description as you type", async () => {
    await page.getByRole("button", { name: "+ Create API key" }).click();
    await dialog("Create API key").getByLabel("Description").fill("ConnectWise custom integration");
    await dialog("Create API key").getByRole("button", { name: "Create key" }).click();
    await dialog("API key created").getByRole("button", { name: "Done" }).click();
    await page.getByRole("row").filter({ hasText: "ConnectWise" }).waitFor();

    await page.getByRole("searchbox", { name: "Search" }).pressSequentially("inventory", { delay: 30 });

    await page.getByRole("row").filter({ hasText: "ConnectWise" }).waitFor({ state: "detached" });
    await row().waitFor();
    await snap(page, "14-search");
    await page.getByRole("searchbox", { name: "Search" }).fill("no such key");
    await page.getByText("No API keys match “no such key”").waitFor();
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.getByRole("row").filter({ hasText: "ConnectWise" }).waitFor();
  });

  it("regenerating replaces the value: the old one gets 401 and the new one works", async () => {
    const menu = await openMenu(DESCRIPTION);
    await menu.getByRole("menuitem", { name: "Regenerate" }).click();
    const confirm = dialog(`Regenerate “${DESCRIPTION}”?`);
    assert.match(await confirm.textContent(), /immediate/);
    assert.match(await confirm.textContent(), /stop working/);
    await snap(page, "15-regenerate-confirm");
    await confirm.getByRole("button", { name: "Regenerate key" }).click();

    const shown = dialog("New API key value");
    const fresh = await shown.getByLabel("API key").inputValue();
    await shown.getByRole("button", { name: "Done" }).click();

    assert.notEqual(fresh, key);
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 401);
    assert.equal(await v2(plumb.baseUrl, fresh, "GET", "/v2/groups"), 200);
    key = fresh;
  });

  it("deleting the key revokes it at once", async () => {
    const menu = await openMenu(DESCRIPTION);
    await menu.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = dialog(`Delete “${DESCRIPTION}”?`);
    assert.match(await confirm.textContent(), /cannot be undone/);
    await confirm.getByRole("button", { name: "Delete key" }).click();

    await row().waitFor({ state: "detached" });
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 401);
    await snap(page, "16-after-delete");
  });

  it("the page reads well 360 px wide: no sideways scrolling, the menu still opens", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.reload();
    await page.getByRole("row").filter({ hasText: "ConnectWise" }).waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await snap(page, "17-api-keys-360");
    const menu = await openMenu("ConnectWise custom integration");
    await menu.getByRole("menuitem", { name: "Regenerate" }).waitFor();
    await snap(page, "18-menu-360");
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
