// Groups, tags and alerts in the browser: create, rename, move and delete groups on /groups;
// select devices on /devices and move them, tag them in bulk and filter by the tag; edit a
// device's nickname on its page; resolve an alert on /alerts, keyboard focus moving on.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, setUp, signIn, snap, startPlumb } from "../harness.mjs";

describe("Groups, tags and alerts", () => {
  let plumb;
  let browser;
  let page;

  const call = (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const { csrf_token: csrf } = await (await fetch("/api/v1/session")).json();
        const response = await fetch(path, {
          method,
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
        return response.status === 204 ? null : response.json();
      },
      { method, path, body },
    );

  // This machine's real inventory, as the agent built next to plumb reports it.
  const agent = join(dirname(process.env.PLUMB_BIN ?? join(process.env.CARGO_TARGET_DIR ?? "", "debug", "plumb")), "plumb-agent");
  const inventory = JSON.parse(execFileSync(agent, ["inventory"], { encoding: "utf8" }));

  /** Sends an agent protocol request; resolves with the JSON answer. */
  const agentCall = async (path, body, token) => {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${plumb.baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const enroll = (key, hostname) => agentCall("/agent/v1/enroll", { install_key: key, inventory: { ...inventory, hostname } });

  before(async () => {
    plumb = await startPlumb({ env: { PLUMB_OFFLINE_SWEEP_SECONDS: "1" } });
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    await signIn(page, ADMIN.email, ADMIN.password);
    const { key } = await call("POST", "/api/v1/install-keys", {});
    for (const name of ["ws-one", "ws-two", "ws-three"]) {
      const { device_token: token } = await enroll(key, name);
      // Promise a check-in every 10 s and stay silent: offline, with an alert, after 30 s.
      if (name === "ws-one") await agentCall("/agent/v1/checkin", { inventory: { ...inventory, hostname: name }, checkin_interval_seconds: 10 }, token);
    }
  });

  after(async () => {
    await browser?.close();
    assert.equal(await plumb?.stop(), 0);
  });

  it("creates, renames, moves and deletes groups", async () => {
    await page.goto("/groups");
    await page.getByText("No groups yet").waitFor();
    for (const [name, parent] of [["Clients", null], ["Acme", "Clients"], ["Globex", null]]) {
      await page.getByRole("button", { name: "+ New group" }).click();
      const dialog = page.getByRole("dialog", { name: "New group" });
      await dialog.getByLabel("Name").fill(name);
      if (parent) await dialog.getByLabel("Parent group").selectOption({ label: parent });
      await dialog.getByRole("button", { name: "Save" }).click();
      await page.getByRole("row").filter({ hasText: name }).first().waitFor();
    }
    assert.match(await page.getByRole("row").filter({ hasText: "Acme" }).textContent(), /Clients/);

    await page.getByRole("button", { name: "Edit Clients › Acme" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Clients › Acme" });
    assert.equal(await edit.getByLabel("Parent group").locator("option", { hasText: "Clients › Acme" }).count(), 0);
    await edit.getByLabel("Name").fill("Acme Corp");
    await edit.getByLabel("Parent group").selectOption({ label: "Globex" });
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "Edit Globex › Acme Corp" }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Edit Globex › Acme Corp");

    await page.getByRole("button", { name: "Delete Clients" }).click();
    await page.getByRole("dialog", { name: "Delete group?" }).getByRole("button", { name: "Delete group" }).click();
    await page.getByRole("button", { name: "Delete Clients" }).waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement.id), "new-group");
    await snap(page, "groups");
  });

  it("moves and tags selected devices in bulk, then filters by the tag", async () => {
    await page.goto("/devices");
    await page.getByRole("checkbox", { name: "Select ws-one" }).check();
    await page.getByRole("checkbox", { name: "Select ws-two" }).check();
    const bar = page.getByRole("region", { name: "Selected devices" });
    await bar.getByText("2 selected").waitFor();
    await bar.getByLabel("Group to move to").selectOption({ label: "Globex" });
    await bar.getByRole("button", { name: "Move to group" }).click();
    await page.getByRole("row").filter({ hasText: "ws-one" }).filter({ hasText: "Globex" }).waitFor();

    await page.getByRole("checkbox", { name: "Select ws-one" }).check();
    await page.getByRole("checkbox", { name: "Select ws-three" }).check();
    await bar.getByLabel("Tag").fill("VIP");
    await bar.getByRole("button", { name: "Add tag" }).click();
    await page.getByText("Tagged 2 devices “VIP”.").waitFor();
    await page.locator("#device-tag").selectOption({ label: "VIP" });
    await page.waitForFunction(() => document.querySelectorAll("#devices-body tr").length === 2);
    const shown = await page.locator("#devices-body tr .device-link").allTextContents();
    assert.deepEqual(shown.sort(), ["ws-one", "ws-three"]);
    await snap(page, "devices-bulk");
  });

  it("edits a device's nickname on its page", async () => {
    await page.goto("/devices");
    await page.getByRole("link", { name: "ws-two" }).click();
    await page.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit device" });
    assert.equal(await dialog.getByLabel("Group").inputValue() !== "", true);
    await dialog.getByLabel("Nickname").fill("Reception PC");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.locator(".lede", { hasText: "Reception PC" }).waitFor();
  });

  it("deletes a selected device after confirmation", async () => {
    await page.goto("/devices");
    await page.getByRole("checkbox", { name: "Select ws-three" }).check();
    await page.getByRole("button", { name: "Delete…" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete 1 device?" });
    assert.match(await confirm.textContent(), /ws-three/);
    await confirm.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("link", { name: "ws-three" }).waitFor({ state: "detached" });
  });

  it("resolves an alert and moves focus on", async () => {
    // The machines never check in, so the offline sweep raises an alert for each.
    await page.goto("/alerts");
    await page.getByRole("button", { name: /Resolve “.*” on ws-one/ }).waitFor({ timeout: 45_000 });
    const before = await page.locator("#active-body tr").count();
    await page.getByRole("button", { name: /Resolve “.*” on ws-one/ }).click();
    await page.waitForFunction((count) => document.querySelectorAll("#active-body tr").length === count - 1, before);
    assert.match(await page.locator("#resolved-body").textContent(), /ws-one/);
    assert.match(await page.evaluate(() => document.activeElement.getAttribute("aria-label") ?? document.activeElement.id), /Resolve|active-heading/);
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide`);
    await snap(page, "alerts-360");
    assert.deepEqual(browser.problems, []);
  });
});
