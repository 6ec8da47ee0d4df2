// Settings → Activity: what happened, in words, with before → after; filters and "Load more".

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, setUp, signIn, snap, startPlumb, v2 } from "../harness.mjs";

describe("Settings → Activity", () => {
  let plumb;
  let browser;
  let page;

  /** Calls the management API from the signed-in page, with its CSRF token. */
  const call = (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const { csrf_token: csrf } = await (await fetch("/api/v1/session")).json();
        const response = await fetch(path, {
          method,
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return response.status === 204 ? null : response.json();
      },
      { method, path, body },
    );

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

  it("shows who did what to which key, with the change before and after", async () => {
    const key = await call("POST", "/api/v1/api-keys", { description: "Billing export", access: "read_only" });
    await call("PATCH", `/api/v1/api-keys/${key.id}`, { access: "read_write" });

    await page.goto("/settings/activity");

    const edited = page.getByRole("row").filter({ hasText: "Edited an API key" });
    await edited.waitFor();
    const cells = await edited.getByRole("cell").allTextContents();
    assert.equal(cells[1], ADMIN.email);
    assert.equal(cells[3], "“Billing export”");
    assert.match(cells[4], /^Access: Read-only.*Read & write$/);
    assert.equal(cells[5], "127.0.0.1");
    assert.match(await edited.locator("time").getAttribute("title"), / UTC$/);
    await page.getByRole("row").filter({ hasText: "Created an API key" }).waitFor();
    await snap(page, "40-activity");
  });

  it("names the API key behind a change made through /v2, never its value", async () => {
    const key = await call("POST", "/api/v1/api-keys", { description: "PSA sync", access: "read_write" });
    assert.equal(await v2(plumb.baseUrl, key.key, "POST", "/v2/groups", { name: "Servers" }), 201);

    await page.goto("/settings/activity");

    const created = page.getByRole("row").filter({ hasText: "Created a group" });
    await created.waitFor();
    const cells = await created.getByRole("cell").allTextContents();
    assert.equal(cells[1], `API key “PSA sync” (${key.masked_key})`);
    assert.equal(cells[3], "group “Servers”");
    assert.ok(!(await page.content()).includes(key.key), "the key's value is not on the page");
    await page.getByLabel("Show").selectOption({ label: "Groups" });
    const actions = await page.locator("#activity-body td[data-field=action]").allTextContents();
    assert.deepEqual(actions, ["Created a group"]);
    await page.getByLabel("Show").selectOption({ label: "Everything" });
  });

  it("filters by kind and by text", async () => {
    await page.getByLabel("Show").selectOption({ label: "Sign-ins" });
    await page.getByText(/^Showing \d+ of/).waitFor();
    const actions = await page.locator("#activity-body td[data-field=action]").allTextContents();
    assert.ok(actions.length > 0);
    assert.ok(actions.every((action) => action === "Signed in"), actions.join(", "));

    await page.getByLabel("Show").selectOption({ label: "Everything" });
    await page.getByRole("searchbox", { name: "Filter" }).fill("billing");
    const filtered = await page.locator("#activity-body td[data-field=action]").allTextContents();
    assert.deepEqual(filtered, ["Edited an API key", "Created an API key"]);
    await snap(page, "41-activity-filtered");
  });

  it("the activity page reads well 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.reload();
    await page.getByRole("row").filter({ hasText: "Edited an API key" }).waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await snap(page, "42-activity-360");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("Load more fetches older entries", async () => {
    for (let index = 0; index < 55; index += 1) {
      await call("POST", "/api/v1/api-keys", { description: `Bulk ${index}`, access: "read_only" });
    }
    await page.reload();
    await page.getByText("50 entries loaded").waitFor();

    await page.getByRole("button", { name: "Load more" }).click();

    // More than the first page: the older entries joined the list.
    await page.waitForFunction(() => {
      const shown = document.body.innerText.match(/(\d+) entries loaded/);
      return shown !== null && Number(shown[1]) > 50;
    });
    await page.getByRole("row").filter({ hasText: "Billing export" }).first().waitFor();
  });
});
