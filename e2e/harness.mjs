// The e2e harness: starts the real `plumb serve` binary on 127.0.0.1 with a temporary data
// directory, reads the first-run setup link from its stdout, drives Debian's chromium through
// playwright-core, and stops everything (SIGTERM) at the end.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = fileURLToPath(new URL(".", import.meta.url));
export const SCREENSHOTS = join(HERE, "screenshots");
export const ADMIN = { email: "ada@acme.test", name: "Ada Admin", password: "correct horse battery staple" };

const CHROMIUM = process.env.PLUMB_E2E_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function plumbBinary() {
  if (process.env.PLUMB_BIN) return process.env.PLUMB_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache", "plumb-target");
  return join(target, "debug", "plumb");
}

async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Starts `plumb serve` on a free port with a fresh data directory and extra `env`; resolves with its setup link. */
export async function startPlumb({ env: extra = {} } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), "plumb-e2e-data-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn", ...extra };
  delete env.PLUMB_DATA_DIR;
  delete env.PLUMB_DATABASE_URL;
  const child = spawn(plumbBinary(), ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const setupLink = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`plumb printed no setup link within 30 s:\n${stderr}`)), 30_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`plumb exited (${code}) before printing the setup link:\n${stderr}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = line.match(/(https?:\/\/\S+\/setup\?token=\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    baseUrl,
    setupLink,
    logs: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await once(child, "exit");
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}

/** Creates the organization and its administrator through the setup API (for suites that do not test setup). */
export async function setUp(plumb) {
  const token = new URL(plumb.setupLink).searchParams.get("token");
  const response = await fetch(`${plumb.baseUrl}/api/v1/setup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token, organization_name: "Acme MSP", email: ADMIN.email, name: ADMIN.name, password: ADMIN.password }),
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
}

/** Launches chromium with a fresh profile directory; the context may read and write the clipboard. */
export async function launchBrowser(baseUrl, { viewport = { width: 1280, height: 860 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "plumb-e2e-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    baseURL: baseUrl,
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`console error: ${message.text()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function snap(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page. */
export async function signIn(page, email, password) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** Signs out with the shell's button. */
export async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
}

/** The text the page's last copy put on the clipboard. */
export async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** A /v2 request with an API key, as an integration would send it. */
export async function v2(baseUrl, key, method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: key, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

/** Polls `check` until it returns a truthy value or `timeout` ms pass. */
export async function eventually(check, { timeout = 5000, interval = 100, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
