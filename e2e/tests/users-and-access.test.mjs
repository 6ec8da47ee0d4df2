// Settings → Users, and who may reach which page: technicians without Settings access never see
// Settings, and only administrators see Users.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, setUp, signIn, signOut, snap, startPlumb } from "../harness.mjs";

const TECH = { email: "tom@acme.test", name: "Tom Technician", password: "a long technician password" };
const SETTINGS_TECH = { email: "sam@acme.test", name: "Sam Settings" };

describe("users and access", () => {
  let plumb;
  let browser;
  let page;

  const dialog = (name) => page.getByRole("dialog", { name });
  const row = (name) => page.getByRole("row").filter({ hasText: name });

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

  it("an administrator adds a technician with a password and no Settings access", async () => {
    await page.goto("/settings/users");
    await row(ADMIN.name).waitFor();
    await page.getByRole("button", { name: "+ Add user" }).click();
    const add = dialog("Add user");
    await add.getByLabel("Email").fill(TECH.email);
    await add.getByLabel("Name").fill(TECH.name);
    await add.getByRole("radio", { name: "Technician" }).check();
    assert.equal(await add.getByRole("checkbox", { name: "Settings access" }).isChecked(), false);
    await add.getByLabel("Password (optional)").fill(TECH.password);
    await snap(page, "20-add-user");
    await add.getByRole("button", { name: "Add user" }).click();

    await add.waitFor({ state: "hidden" });
    const cells = await row(TECH.name).getByRole("cell").allTextContents();
    assert.deepEqual(cells.slice(1, 4), ["Technician", "No", "Active"]);
  });

  it("adding a technician without a password shows a one-time password link", async () => {
    await page.getByRole("button", { name: "+ Add user" }).click();
    const add = dialog("Add user");
    await add.getByLabel("Email").fill(SETTINGS_TECH.email);
    await add.getByLabel("Name").fill(SETTINGS_TECH.name);
    await add.getByRole("checkbox", { name: "Settings access" }).check();
    await add.getByRole("button", { name: "Add user" }).click();

    const added = dialog("User added");
    const link = await added.getByLabel("Password link").inputValue();
    assert.ok(link.startsWith(`${plumb.baseUrl}/set-password?token=`), link);
    await snap(page, "21-user-added-link");
    await added.getByRole("button", { name: "Done" }).click();
    assert.equal((await row(SETTINGS_TECH.name).getByRole("cell").allTextContents())[2], "Yes");

    // The person opens the link (no script needed) and chooses a password.
    await page.goto(link);
    await page.getByLabel("New password").fill("sam's own long password");
    await snap(page, "22-set-password");
    await page.getByRole("button", { name: "Set password" }).click();
    await page.getByRole("heading", { name: "Password set" }).waitFor();
  });

  it("an administrator can disable and enable a user", async () => {
    await page.goto("/settings/users");
    await page.getByRole("button", { name: `Actions for ${SETTINGS_TECH.name}` }).click();
    await page.getByRole("menuitem", { name: "Disable" }).click();
    const confirm = dialog(`Disable ${SETTINGS_TECH.name}?`);
    assert.match(await confirm.textContent(), /sessions end now/);
    await confirm.getByRole("button", { name: "Disable user" }).click();
    await row(SETTINGS_TECH.name).getByText("Disabled").waitFor();
    await snap(page, "23-users");

    await page.getByRole("button", { name: `Actions for ${SETTINGS_TECH.name}` }).click();
    await page.getByRole("menuitem", { name: "Enable" }).click();
    await row(SETTINGS_TECH.name).getByText("Active").waitFor();
  });

  it("the users page reads well 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.reload();
    await row(TECH.name).waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await snap(page, "25-users-360");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("a technician without Settings access does not see Settings and cannot reach its pages", async () => {
    await signOut(page);
    await signIn(page, TECH.email, TECH.password);

    // Signing in leads them to Devices; their navigation holds only Devices, Groups and Alerts.
    await page.waitForURL("**/devices");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Devices" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "API keys" }).count(), 0);
    assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Devices", "Groups", "Alerts"]);
    for (const path of ["/settings/api-keys", "/settings/install-keys", "/settings/activity"]) {
      const response = await page.goto(path);
      assert.equal(response.status(), 403, path);
      await page.getByRole("heading", { name: "You need Settings access" }).waitFor();
    }
    await snap(page, "24-needs-settings");
    const users = await page.goto("/settings/users");
    assert.equal(users.status(), 403);
    await page.getByRole("heading", { name: "You need to be an administrator" }).waitFor();
  });

  it("a technician with Settings access sees API keys and Activity but not Users", async () => {
    await signOut(page);
    await signIn(page, SETTINGS_TECH.email, "sam's own long password");

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "API keys" }).waitFor();
    await nav.getByRole("link", { name: "Activity" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Users" }).count(), 0);
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
  });
});
