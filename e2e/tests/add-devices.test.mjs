// Add devices: the Devices page's "Add devices" dialog makes an install key for a group and shows
// the "Install command"; the test pastes that command into a shell on this machine (with `sudo`
// standing in, and every path in a temporary directory) and watches the machine appear in the
// list without a reload. Then /downloads/ and its SHA-256, Settings → Install keys (masked,
// revoke), and a technician without Settings access, who is offered none of it.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { ADMIN, clipboard, launchBrowser, setUp, signIn, signOut, snap, startPlumb } from "../harness.mjs";

const run = promisify(execFile);
const TECH = { email: "tim@acme.test", name: "Tim Technician", password: "a long technician password" };

describe("Add devices", () => {
  let plumb;
  let browser;
  let page;
  let scratch;

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
    scratch = await mkdtemp(join(tmpdir(), "plumb-e2e-install-"));
    await signIn(page, ADMIN.email, ADMIN.password);
    await call("POST", "/api/v1/groups", { name: "Office" });
  });

  after(async () => {
    await browser?.close();
    assert.equal(await plumb?.stop(), 0);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("adds this machine by pasting the shown install command, and it appears without a reload", async () => {
    await page.goto("/devices");
    await page.getByText("No devices yet").waitFor();
    const add = page.getByRole("button", { name: "Add devices" });
    await add.click();
    const dialog = page.getByRole("dialog", { name: "Add devices" });
    await dialog.getByLabel("Group").selectOption({ label: "Office" });
    await dialog.getByRole("button", { name: "Create install key" }).click();
    const field = dialog.getByLabel("Install command");
    await field.waitFor();
    assert.equal(await field.getAttribute("readonly"), "");
    const command = await field.inputValue();
    assert.match(command, /^curl -fsSL '.+\/downloads\/install\.sh' \| sudo PLUMB_INSTALL_KEY=plumbi_\S+ sh$/);
    await dialog.getByRole("button", { name: "Copy" }).click();
    assert.equal(await clipboard(page), command);
    await snap(page, "add-devices-command");

    const fakeBin = join(scratch, "fake-bin");
    await run("mkdir", ["-p", fakeBin]);
    await writeFile(join(fakeBin, "sudo"), '#!/bin/sh\nexec env "$@"\n');
    await chmod(join(fakeBin, "sudo"), 0o755);
    const { stdout } = await run("sh", ["-c", command], {
      env: {
        ...process.env,
        PATH: `${fakeBin}:${process.env.PATH}`,
        PLUMB_AGENT_BIN_DIR: join(scratch, "bin"),
        PLUMB_AGENT_STATE_DIR: join(scratch, "state"),
        PLUMB_AGENT_UNIT_DIR: join(scratch, "units"),
        PLUMB_AGENT_NO_START: "true",
      },
    });
    assert.match(stdout, /enrolled with/);
    const unit = await readFile(join(scratch, "units", "plumb-agent.service"), "utf8");
    assert.match(unit, /ExecStart=.*plumb-agent run --state-dir/);

    const machine = page.getByRole("row").filter({ hasText: hostname() });
    await machine.waitFor({ timeout: 15_000 });
    assert.match(await machine.textContent(), /Office/);
    await dialog.getByText(`${hostname()} has enrolled`).waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Add devices");
    assert.equal(await page.getByLabel("Install command").inputValue(), "");
  });

  it("lists the served agent with the SHA-256 of its file", async () => {
    await page.goto("/downloads/");
    const name = `plumb-agent-linux-${process.arch === "arm64" ? "aarch64" : "x86_64"}`;
    const row = page.getByRole("row").filter({ hasText: name });
    const binary = join(dirname(process.env.PLUMB_BIN ?? join(process.env.CARGO_TARGET_DIR ?? "", "debug", "plumb")), "plumb-agent");
    const digest = createHash("sha256").update(await readFile(binary)).digest("hex");
    assert.match(await row.textContent(), new RegExp(digest));
    await snap(page, "downloads");
  });

  it("lists install keys masked and revokes one after confirmation", async () => {
    await page.goto("/settings/install-keys");
    const row = page.getByRole("row").filter({ hasText: "Office" });
    assert.match(await row.textContent(), /plumbi_\*+/);
    await row.getByRole("button", { name: /Revoke install key/ }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke install key?" });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No install keys").waitFor();
  });

  it("offers a technician without Settings access no Add devices and no install keys", async () => {
    await call("POST", "/api/v1/users", { email: TECH.email, name: TECH.name, role: "technician", permissions: [], password: TECH.password });
    await signOut(page);
    await signIn(page, TECH.email, TECH.password);
    await page.goto("/devices");
    await page.getByRole("row").filter({ hasText: hostname() }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Add devices" }).count(), 0);
    assert.equal(await page.getByRole("link", { name: "Install keys" }).count(), 0);
    const response = await page.goto("/settings/install-keys");
    assert.equal(response.status(), 403);
    await signOut(page);
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  it("fits the Add devices dialog on a 360 px screen", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto("/devices");
    await page.getByRole("button", { name: "Add devices" }).click();
    const dialog = page.getByRole("dialog", { name: "Add devices" });
    await dialog.getByRole("button", { name: "Create install key" }).click();
    await dialog.getByLabel("Install command").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide`);
    await snap(page, "add-devices-360");
    await page.keyboard.press("Escape");
    assert.deepEqual(browser.problems, []);
  });
});
