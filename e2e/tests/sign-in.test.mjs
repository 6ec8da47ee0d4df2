// First-run setup through the setup link, then signing in and out.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, launchBrowser, signIn, signOut, snap, startPlumb } from "../harness.mjs";

describe("setup and sign-in", () => {
  let plumb;
  let browser;
  let page;

  before(async () => {
    plumb = await startPlumb();
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    const code = await plumb?.stop();
    assert.equal(code, 0, "plumb serve exits cleanly on SIGTERM");
    assert.deepEqual(browser?.problems ?? [], []);
  });

  it("first-run setup creates the organization and its administrator through the setup link", async () => {
    await page.goto(plumb.setupLink);
    await page.getByRole("heading", { name: "Set up plumb" }).waitFor();
    await page.getByLabel("Organization name").fill("Acme MSP");
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await snap(page, "01-setup-form");

    await page.getByRole("button", { name: "Create organization" }).click();

    await page.getByRole("heading", { name: "plumb is ready" }).waitFor();
    assert.match(await page.textContent("main"), /Acme MSP/);
    await snap(page, "02-setup-done");
    await page.goto(plumb.setupLink);
    await page.getByRole("heading", { name: "Setup link not valid" }).waitFor();
  });

  it("signing in with a wrong password shows what to do and stays on the sign-in page", async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password at all");

    await page.getByRole("button", { name: "Sign in" }).click();

    const alert = page.getByRole("alert");
    await alert.getByText("don't match an account").waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
    await snap(page, "03-sign-in-failed");
  });

  it("signing in opens the API keys page, and Sign out returns to sign-in", async () => {
    await signIn(page, ADMIN.email, ADMIN.password);

    assert.equal(new URL(page.url()).pathname, "/settings/api-keys");
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const entry of ["API keys", "Users", "Activity"]) await nav.getByRole("link", { name: entry }).waitFor();
    assert.match(await page.textContent("header"), /Ada Admin/);
    await snap(page, "04-signed-in");

    await signOut(page);
    await page.goto("/settings/api-keys");
    await page.waitForURL(/\/login\?next=/);
  });

  it("a page asked for before signing in opens after signing in", async () => {
    await page.goto("/settings/activity");
    await page.waitForURL("**/login?next=/settings/activity");

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL("**/settings/activity");
    await page.getByRole("heading", { name: "Activity", level: 1 }).waitFor();
  });
});
