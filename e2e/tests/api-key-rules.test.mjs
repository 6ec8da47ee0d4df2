// Settings → API keys, what an owner limits about a key: expiry (shown, filtered, sorted),
// allowed addresses, disable and enable, Regenerate with a grace period and ending it, and the
// key's Recent requests. Every change is checked against /v2 with the key itself.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, setUp, signIn, snap, startPlumb, v2 } from "../harness.mjs";

const LIMITED = "Billing export";
const PLAIN = "Backups";

describe("Settings → API keys: expiry, addresses, disabling, grace periods, requests", () => {
  let plumb;
  let browser;
  let page;
  let key;
  let plainKey;

  const row = (description) => page.getByRole("row").filter({ hasText: description });
  const dialog = (name) => page.getByRole("dialog", { name });
  const openMenu = async (description) => {
    await page.getByRole("button", { name: `Actions for ${description}` }).click();
    return page.getByRole("menu", { name: `Actions for ${description}` });
  };
  const createKey = async (description, fill = async () => {}) => {
    await page.getByRole("button", { name: "+ Create API key" }).click();
    const create = dialog("Create API key");
    await create.getByLabel("Description").fill(description);
    await create.getByRole("radio", { name: "Read and write" }).check();
    await fill(create);
    await create.getByRole("button", { name: "Create key" }).click();
    const created = dialog("API key created");
    const value = await created.getByLabel("API key").inputValue();
    await created.getByRole("button", { name: "Done" }).click();
    await row(description).waitFor();
    return value;
  };
  const inDays = (days) => {
    const date = new Date(Date.now() + days * 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
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

  it("a key expiring in three days says so, and the list filters and sorts by expiry", async () => {
    plainKey = await createKey(PLAIN);
    key = await createKey(LIMITED, async (create) => {
      await create.getByLabel("Expires on").fill(inDays(3));
      await create.getByLabel("Requests per minute").fill("600");
    });

    await row(LIMITED).getByText(/^Expires in (2|3) days$/).waitFor();
    await row(LIMITED).getByText("600 requests per minute").waitFor();
    await row(PLAIN).getByText("Active").waitFor();
    await snap(page, "40-key-expiring");
    await page.getByLabel("Show").selectOption("expiring");
    await row(PLAIN).waitFor({ state: "detached" });
    await row(LIMITED).waitFor();
    await page.getByLabel("Show").selectOption("all");
    await page.getByLabel("Sort by").selectOption("expiry");
    const first = await page.locator("#keys-body tr").first().textContent();
    assert.match(first, new RegExp(LIMITED));
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200);
  });

  it("an address list that leaves out this machine gets 403, and clearing it lets the key in", async () => {
    const setAddresses = async (text) => {
      await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Edit" }).click();
      const edit = dialog("Update API key");
      await edit.getByLabel("Allowed addresses").fill(text);
      await edit.getByRole("button", { name: "Save" }).click();
      await edit.waitFor({ state: "hidden" });
    };

    await setAddresses("192.0.2.0/24\n2001:db8::/32");
    await row(LIMITED).getByText("2 allowed addresses").waitFor();
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 403);
    await setAddresses("");
    await row(LIMITED).getByText("2 allowed addresses").waitFor({ state: "detached" });
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200);
  });

  it("Disable refuses the key at once and Enable brings it back", async () => {
    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Disable" }).click();
    await row(LIMITED).getByText("Disabled").waitFor();
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 401);

    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Enable" }).click();
    await row(LIMITED).getByText(/^Expires in/).waitFor();
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200);
  });

  it("Regenerate with a 24-hour grace period keeps the old value working until it is ended", async () => {
    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Regenerate" }).click();
    const regenerate = dialog(`Regenerate “${LIMITED}”?`);
    await regenerate.getByLabel("Old value keeps working").selectOption("86400");
    assert.match(await regenerate.textContent(), /keeps working for 24 hours/);
    await snap(page, "41-regenerate-grace");
    await regenerate.getByRole("button", { name: "Regenerate key" }).click();
    const shown = dialog("New API key value");
    const fresh = await shown.getByLabel("API key").inputValue();
    await shown.getByRole("button", { name: "Done" }).click();

    await row(LIMITED).getByText(/^Old value works until/).waitFor();
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200);
    assert.equal(await v2(plumb.baseUrl, fresh, "GET", "/v2/groups"), 200);

    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "End the grace period now" }).click();
    await row(LIMITED).getByText(/^Old value works until/).waitFor({ state: "detached" });
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 401);
    key = fresh;
  });

  it("Recent requests lists the key's requests and filters them by status", async () => {
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups/not-a-group"), 404);
    // The log is written behind within about a second.
    await page.waitForTimeout(1500);
    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Recent requests" }).click();
    const requests = dialog(`Recent requests of “${LIMITED}”`);
    await requests.getByRole("cell", { name: "GET /v2/groups/not-a-group" }).waitFor();
    await requests.getByRole("cell", { name: "GET /v2/groups", exact: true }).first().waitFor();
    await snap(page, "42-recent-requests");

    await requests.getByLabel("Status").selectOption("2xx");
    await requests.getByRole("cell", { name: "GET /v2/groups/not-a-group" }).waitFor({ state: "detached" });
    await requests.getByRole("cell", { name: "200", exact: true }).first().waitFor();
    await requests.getByLabel("Status").selectOption("failed");
    await requests.getByRole("cell", { name: "GET /v2/groups/not-a-group" }).waitFor();
    assert.equal(await requests.getByRole("cell", { name: "200", exact: true }).count(), 0);
    await requests.getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: `Actions for ${LIMITED}` }).waitFor();
  });

  it("the organization's default rate limit is changed from the page and limits keys without their own", async () => {
    const line = page.locator("#default-limit-line");
    await line.getByText("no limit").waitFor();

    // Keyboard only: the button opens the dialog with the field focused; Enter saves.
    await page.getByRole("button", { name: "Change" }).focus();
    await page.keyboard.press("Enter");
    const limit = dialog("Default rate limit");
    const field = limit.getByLabel("Requests per minute");
    await field.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "limit-rate");
    await page.keyboard.type("0");
    await page.keyboard.press("Enter");
    await limit.getByText(/^Enter a whole number of requests per minute/).waitFor();
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    await field.fill("2");
    await snap(page, "44-default-rate-limit");
    await page.keyboard.press("Enter");
    await limit.waitFor({ state: "hidden" });

    await line.getByText("2 requests per minute").waitFor();
    await row(PLAIN).getByText("2 requests per minute").waitFor();
    await row(LIMITED).getByText("600 requests per minute").waitFor();
    const statuses = [];
    // Four requests: even if a minute turns between two of them, one window sees three.
    for (let n = 0; n < 4; n += 1) statuses.push(await v2(plumb.baseUrl, plainKey, "GET", "/v2/groups"));
    assert.equal(statuses[0], 200);
    assert.ok(statuses.includes(429), statuses.join(", "));
    assert.equal(await v2(plumb.baseUrl, key, "GET", "/v2/groups"), 200, "a key's own limit wins");

    await page.getByRole("button", { name: "Change" }).click();
    await field.fill("");
    await limit.getByRole("button", { name: "Save" }).click();
    await line.getByText("no limit").waitFor();
    await row(PLAIN).getByText("2 requests per minute").waitFor({ state: "detached" });
    assert.equal(await v2(plumb.baseUrl, plainKey, "GET", "/v2/groups"), 200);
  });

  it("the page and the requests dialog read well 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.reload();
    await row(LIMITED).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await (await openMenu(LIMITED)).getByRole("menuitem", { name: "Recent requests" }).click();
    await dialog(`Recent requests of “${LIMITED}”`).getByRole("cell").first().waitFor();
    await snap(page, "43-requests-360");
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
