// Settings → Webhooks: add an endpoint with a generated secret (shown once), open its Requests
// tab, send a test event that the receiver refuses, re-run it (same event_id), then narrow the
// endpoint to one event, disable it and delete it. A real receiver runs on 127.0.0.1.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { ADMIN, eventually, launchBrowser, setUp, signIn, snap, startPlumb } from "../harness.mjs";

describe("Settings → Webhooks", () => {
  let plumb;
  let browser;
  let page;
  let receiver;
  const received = [];

  before(async () => {
    // The first request is refused, every later one accepted.
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: JSON.parse(body) });
        response.writeHead(received.length === 1 ? 500 : 200, { "Content-Type": "text/plain" });
        response.end(received.length === 1 ? "busy, try later" : "thanks");
      });
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    plumb = await startPlumb({
      env: {
        PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
        PLUMB_WEBHOOKS__POLL_MILLISECONDS: "100",
        PLUMB_WEBHOOKS__ATTEMPTS: "1",
      },
    });
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  after(async () => {
    await browser?.close();
    receiver?.close();
    const code = await plumb?.stop();
    assert.equal(code, 0, "plumb serve exits cleanly on SIGTERM");
    assert.deepEqual(browser?.problems ?? [], []);
  });

  it("adds a webhook with a generated secret shown once", async () => {
    await page.goto("/settings/webhooks");
    await page.getByText("No webhooks yet").waitFor();
    await page.getByRole("button", { name: "+ Add webhook" }).click();
    const url = `http://127.0.0.1:${receiver.address().port}/level`;
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Description").fill("Ticketing");
    await page.getByLabel("Generate a secret").check();
    await page.getByRole("button", { name: "Save" }).click();

    const secret = page.locator("#secret-value");
    await secret.waitFor();
    assert.match(await secret.inputValue(), /^whsec_/);
    await snap(page, "60-webhooks-secret");
    await page.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.locator("#secret-value").inputValue(), "", "the secret leaves the page");

    const row = page.getByRole("row").filter({ hasText: url });
    await row.waitFor();
    assert.match(await row.textContent(), /All events/);
    assert.match(await row.textContent(), /Enabled, signed/);
    await snap(page, "61-webhooks-list");
  });

  it("shows every request in the Requests tab and re-runs a failed one with the same event", async () => {
    await page.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Requests" }).click();
    await page.getByText("No requests yet").waitFor();
    await page.getByRole("button", { name: "Send test event" }).click();

    const failed = page.locator("#requests-body tr").filter({ hasText: "500" });
    await failed.waitFor({ timeout: 10_000 });
    assert.match(await failed.textContent(), /busy, try later/);
    await failed.getByText("Request body").click();
    assert.match(await failed.locator("pre").textContent(), /"event_type":"test"/);
    await snap(page, "62-webhooks-requests");

    await failed.getByRole("button", { name: /Re-run/ }).click();
    await page.locator("#requests-body tr").filter({ hasText: "thanks" }).waitFor({ timeout: 10_000 });
    await eventually(() => received.length === 2, { message: "the re-run arrived" });
    assert.equal(received[1].body.event_id, received[0].body.event_id);
    assert.match(received[1].headers["x-level-signature"], /^sha256=[0-9a-f]{64}$/);
    await snap(page, "63-webhooks-rerun");
    await page.getByRole("button", { name: "Back to webhooks" }).click();
  });

  it("narrows a webhook to chosen events, disables it, then deletes it", async () => {
    await page.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    await page.getByLabel("Only the events I choose").check();
    await page.getByLabel("group_created").check();
    await page.getByLabel("Enabled").uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    const row = page.getByRole("row").filter({ hasText: "group_created" });
    await row.waitFor();
    assert.match(await row.textContent(), /Disabled/);

    await page.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete webhook" }).click();
    await page.getByText("No webhooks yet").waitFor();
  });
});
