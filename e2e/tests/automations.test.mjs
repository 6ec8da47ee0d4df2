// Automations: define one in the editor (name, description, target group, two ordered steps
// with shell, script and time limit), add webhook triggers with and without an Authorization
// header (URL, value and curl example with Copy; call it with the shown curl), Run now on this
// machine's agent (enrolled with plumb-agent, checking in once) and read each step's output in
// the automation's and the device's Runs views; then delete; a technician without Settings
// access sees no Automations; the device page shows where each custom field value comes from
// and edits the device's own; and the editor fits 360 px.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { ADMIN, clipboard, launchBrowser, setUp, signIn, signOut, snap, startPlumb } from "../harness.mjs";

const run = promisify(execFile);
const TECH = { email: "tim@acme.test", name: "Tim Technician", password: "a long technician password" };
const AGENT = join(dirname(process.env.PLUMB_BIN ?? join(process.env.CARGO_TARGET_DIR ?? "", "debug", "plumb")), "plumb-agent");

describe("Automations", () => {
  let plumb;
  let browser;
  let page;
  let scratch;
  let automationUrl;

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

  before(async () => {
    plumb = await startPlumb();
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    scratch = await mkdtemp(join(tmpdir(), "plumb-e2e-automations-"));
    await signIn(page, ADMIN.email, ADMIN.password);
    const office = await call("POST", "/api/v1/groups", { name: "Office" });
    const { key } = await call("POST", "/api/v1/install-keys", { group_id: office.id });
    await run(AGENT, ["enroll", "--server", plumb.baseUrl, "--state-dir", join(scratch, "state")], {
      env: { ...process.env, PLUMB_INSTALL_KEY: key },
    });
  });

  after(async () => {
    await browser?.close();
    assert.equal(await plumb?.stop(), 0);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("defines an automation with a target group and ordered steps", async () => {
    await page.goto("/automations");
    await page.getByText("No automations yet").waitFor();
    await page.getByRole("link", { name: "+ New automation" }).click();
    await page.getByRole("heading", { name: "New automation" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Check the machine");
    await page.getByLabel("Description").fill("Says hello, then reports the kernel");
    await page.getByLabel("Runs on").selectOption({ label: "Office" });
    const first = page.getByRole("group", { name: "Step 1" });
    await first.getByLabel("Step name").fill("Uname");
    await first.getByLabel("Script").fill("uname -s");
    await page.getByRole("button", { name: "+ Add step" }).click();
    const second = page.getByRole("group", { name: "Step 2" });
    assert.equal(await page.evaluate(() => document.activeElement.id), await second.getByLabel("Step name").getAttribute("id"));
    await second.getByLabel("Step name").fill("Say hello");
    await second.getByLabel("Shell").selectOption("bash");
    await second.getByLabel("Script").fill('echo "hello from $(hostname)"');
    await second.getByLabel("Time limit (seconds)").fill("60");
    // Put "Say hello" first: the keyboard stays on the moved step's button.
    await page.getByRole("button", { name: "Move up step 2" }).click();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Move down step 1");
    assert.equal(await page.getByRole("group", { name: "Step 1" }).getByLabel("Step name").inputValue(), "Say hello");
    await page.getByRole("button", { name: "Create automation" }).click();
    await page.getByRole("heading", { name: "Check the machine" }).waitFor();
    automationUrl = page.url();
    assert.match(automationUrl, /\/automations\/[0-9a-f-]{36}$/);
    assert.equal(await page.getByLabel("Runs on").inputValue(), (await call("GET", "/api/v1/groups")).data[0].id);
    assert.equal(await page.getByRole("group", { name: "Step 1" }).getByLabel("Time limit (seconds)").inputValue(), "60");
    await snap(page, "automation-editor");

    await page.goto("/automations");
    const row = page.getByRole("row").filter({ hasText: "Check the machine" });
    assert.match(await row.textContent(), /Office[\s\S]*2 steps/);
  });

  it("refuses a step without a script and says which", async () => {
    await page.goto(automationUrl);
    const script = page.getByRole("group", { name: "Step 2" }).getByLabel("Script");
    await script.fill("");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Step 2: enter its script.").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-input")), "script");
    await page.goto(automationUrl);
  });

  it("creates webhook triggers with and without an Authorization header, with a working curl example", async () => {
    await page.goto(automationUrl);
    await page.getByRole("button", { name: "+ New trigger" }).click();
    let dialog = page.getByRole("dialog", { name: "New webhook trigger" });
    await dialog.getByLabel("Require an Authorization header").check();
    await dialog.getByRole("button", { name: "Create trigger" }).click();
    const created = page.getByRole("dialog", { name: "Trigger created" });
    const url = await created.getByLabel("Trigger URL").inputValue();
    assert.match(url, /\/v2\/automations\/webhooks\/plumbw_\S+$/);
    const authorization = await created.getByLabel("Authorization value").inputValue();
    assert.match(authorization, /^plumbw_/);
    const curl = await created.getByLabel("curl example").inputValue();
    assert.ok(curl.includes(url) && curl.includes(`Authorization: ${authorization}`), curl);
    await created.locator('[data-copy="trigger-curl"]').click();
    assert.equal(await clipboard(page), curl);
    await snap(page, "automation-trigger-created");
    await created.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "+ New trigger");
    // The shown curl works as pasted: it starts a run on this machine (canceled below).
    const { stdout } = await run("sh", ["-c", curl]);
    assert.match(stdout, /"runs":\[\{"id"/);

    await page.getByRole("button", { name: "+ New trigger" }).click();
    dialog = page.getByRole("dialog", { name: "New webhook trigger" });
    await dialog.getByRole("button", { name: "Create trigger" }).click();
    assert.equal(await created.locator("#trigger-auth-field").isHidden(), true);
    await created.getByRole("button", { name: "Done" }).click();
    const rows = page.getByRole("table", { name: "Webhook triggers" }).getByRole("row");
    await rows.filter({ hasText: "Not required" }).waitFor();
    assert.equal(await rows.filter({ hasText: "Required" }).count(), 2);
    await rows.filter({ hasText: "Not required" }).getByRole("button", { name: "Copy URL" }).click();
    assert.match(await clipboard(page), /\/v2\/automations\/webhooks\/plumbw_/);
    await rows.filter({ hasText: "Not required" }).getByRole("button", { name: /Delete/ }).click();
    await page.getByRole("dialog", { name: "Delete trigger?" }).getByRole("button", { name: "Delete trigger" }).click();
    await rows.filter({ hasText: "Not required" }).waitFor({ state: "detached" });
  });

  it("runs it now on this machine's agent and shows each step's output live", async () => {
    // Hand the trigger's run to the agent first, so the next check-in runs only Run now's.
    await run(AGENT, ["run", "--once", "--state-dir", join(scratch, "state")]);
    await page.goto(automationUrl);
    await page.getByRole("button", { name: "Run now" }).click();
    const dialog = page.getByRole("dialog", { name: "Run “Check the machine” now" });
    await dialog.getByLabel(hostname()).check();
    await dialog.getByRole("button", { name: "Run now" }).click();
    await page.getByText("Started 1 run.").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "run-now");
    const pending = page.locator(".runs summary").filter({ hasText: `${hostname()}: Pending` });
    await pending.waitFor();

    await run(AGENT, ["run", "--once", "--state-dir", join(scratch, "state")]);
    // The pending run turns into a finished one in place, without a reload.
    await pending.waitFor({ state: "detached", timeout: 15_000 });
    const done = page.locator(".runs summary").first();
    assert.match(await done.textContent(), new RegExp(`${hostname()}: Succeeded`));
    await done.focus();
    await page.keyboard.press("Enter");
    const output = page.getByLabel("Output of Say hello").first();
    assert.equal(await output.textContent(), `hello from ${hostname()}\n`);
    assert.equal(await page.getByLabel("Output of Uname").first().textContent(), "Linux\n");
    await snap(page, "automation-runs");

    await page.getByRole("link", { name: "Devices" }).click();
    await page.getByRole("link", { name: hostname() }).click();
    const deviceRun = page.locator(".runs summary").filter({ hasText: "Check the machine: Succeeded" }).first();
    await deviceRun.click();
    await page.getByLabel("Output of Say hello").first().waitFor();
  });

  it("shows where each custom field value of the device comes from and edits its own value", async () => {
    const site = await call("POST", "/api/v1/custom-fields", { name: "Site" });
    const contract = await call("POST", "/api/v1/custom-fields", { name: "Contract" });
    const office = (await call("GET", "/api/v1/groups")).data[0];
    await call("PUT", `/api/v1/custom-fields/${site.id}/value`, { assigned_to_id: office.id, value: "Lyon" });
    await call("PUT", `/api/v1/custom-fields/${contract.id}/value`, { value: "Standard" });
    await page.goto("/devices");
    await page.getByRole("link", { name: hostname() }).click();
    const table = page.getByRole("table", { name: "Custom field values of this device" });
    const siteRow = table.getByRole("row").filter({ hasText: "Site" });
    await siteRow.waitFor();
    assert.match(await siteRow.textContent(), /Lyon\s*Group Office/);
    assert.match(await table.getByRole("row").filter({ hasText: "Contract" }).textContent(), /Standard\s*Organization/);

    await siteRow.getByRole("button", { name: "Edit Site" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Site" });
    await dialog.getByText("uses “Lyon” from the group Office").waitFor();
    await dialog.getByLabel("Value for this device").fill("Lyon, floor 2");
    await dialog.getByRole("button", { name: "Save" }).click();
    await table.getByRole("row").filter({ hasText: "Lyon, floor 2" }).filter({ hasText: "This device" }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Edit Site");
    await snap(page, "device-custom-fields");

    await siteRow.getByRole("button", { name: "Edit Site" }).click();
    await dialog.getByRole("button", { name: "Use the inherited value" }).click();
    await table.getByRole("row").filter({ hasText: "Group Office" }).waitFor();
    assert.doesNotMatch(await table.textContent(), /floor 2/);
  });

  it("offers a technician without Settings access no Automations and no Runs", async () => {
    await call("POST", "/api/v1/users", { email: TECH.email, name: TECH.name, role: "technician", permissions: [], password: TECH.password });
    await signOut(page);
    await signIn(page, TECH.email, TECH.password);
    await page.goto("/devices");
    assert.equal(await page.getByRole("link", { name: "Automations" }).count(), 0);
    await page.getByRole("link", { name: hostname() }).click();
    await page.getByRole("heading", { name: hostname() }).waitFor();
    assert.equal(await page.getByRole("heading", { name: "Runs" }).count(), 0);
    assert.equal((await page.goto("/automations")).status(), 403);
    assert.equal((await page.goto(automationUrl)).status(), 403);
    await signOut(page);
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  it("fits the editor and the Runs view on a 360 px screen, then deletes the automation", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(automationUrl);
    await page.locator(".runs summary").first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")].filter((element) => element.getBoundingClientRect().right > 361).map((element) => element.outerHTML.slice(0, 80)),
    );
    assert.ok(width <= 360, `the page is ${width} px wide: ${wide.slice(0, 3).join(" | ")}`);
    await snap(page, "automation-360");
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog", { name: "Delete automation?" }).getByRole("button", { name: "Delete automation" }).click();
    await page.getByText("No automations yet").waitFor();
    assert.equal((await page.goto(automationUrl)).status(), 404);
    assert.deepEqual(browser.problems, []);
  });
});
