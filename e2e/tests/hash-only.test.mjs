// Hash-only mode (keys.recoverable = false): the full key is shown once, at creation; Copy key
// then copies the masked identifier and says why.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, clipboard, launchBrowser, setUp, signIn, snap, startPlumb } from "../harness.mjs";

describe("hash-only mode", () => {
  let plumb;
  let browser;
  let page;

  before(async () => {
    plumb = await startPlumb({ env: { PLUMB_KEYS__RECOVERABLE: "false" } });
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

  it("Copy key copies the masked identifier instead of the key and says so", async () => {
    await page.getByRole("button", { name: "+ Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Description").fill("PSA sync");
    await create.getByRole("button", { name: "Create key" }).click();
    const full = await page.getByRole("dialog", { name: "API key created" }).getByLabel("API key").inputValue();
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "Actions for PSA sync" }).click();
    await page.getByRole("menuitem", { name: "Copy key" }).click();

    const masked = `plumb_****${full.slice(-4)}`;
    await page.getByRole("status").getByText(`Copied the masked identifier ${masked} instead`).waitFor();
    assert.equal(await clipboard(page), masked);
    assert.match(await page.getByRole("status").textContent(), /shown once, at creation/);
    await snap(page, "50-hash-only-copy");
  });
});
