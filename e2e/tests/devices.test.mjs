// Devices: three machines enrolled through the real agent protocol (an install key per group,
// POST /agent/v1/enroll), then the list (group, status, last seen, OS), search as you type, the
// Status filter, the device page with its inventory, keyboard-only navigation, 360 px, and a
// technician without Settings access.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN, eventually, launchBrowser, setUp, signIn, signOut, snap, startPlumb } from "../harness.mjs";

const TECH = { email: "tess@acme.test", name: "Tess Technician", password: "a long technician password" };

/** A realistic Linux inventory, as `plumb-agent inventory` prints it. */
function inventory({ hostname, os, cpu, address, disk }) {
  return {
    hostname,
    platform: "Linux",
    operating_system: { full_operating_system: os, major_version: "12", minor_version: "8", architecture: "x86_64", install_date: null, end_of_life: false },
    architecture: "x86_64",
    manufacturer: "Dell Inc.",
    model: "OptiPlex 7090",
    serial_number: `SN-${hostname}`,
    total_memory: 17179869184,
    memory_slots: 2,
    cpu_cores: 8,
    cpus: [{ model: cpu, clock_speed: 2900, cores: 8 }],
    memory: [{ location: "DIMM A1", manufacturer: "Samsung", memory_type: "DDR4", clock_speed: 3200, size: 17179869184, serial_number: null, part_number: "M378A2K43DB1-CWE", form_factor: "DIMM" }],
    disks: [{ disk_type: "SSD", model: disk, serial_number: "S5GXNX0T123456", size: 1000204886016 }],
    disk_partitions: [{ label: "nvme0n1p2", mount_point: "/", encrypted: true, primary: true, size: 999000000000, free_space: 400000000000, file_system: "ext4" }],
    network_interfaces: [{ description: null, interface: "eth0", mac_address: "3c:52:82:aa:bb:cc", ip_addresses: [`${address}/24`], gateway: "192.168.1.1", domain: "office.lan", dhcp_server: null, dns_servers: ["192.168.1.1"], label: null }],
    motherboard: { manufacturer: "Dell Inc.", model: "0W0CHX", bios_version: "1.21.0" },
    last_logged_in_user: "alice",
    last_reboot_time: "2026-11-20T07:15:00.000Z",
    private_ip_addresses: [address],
    updates: [
      { name: "openssl", category: "security", version: "3.0.15-1~deb12u1", size: 2250000, kb_ids: [], is_available: true, error: null, published_on: null, installed_on: null },
      { name: "tzdata", category: null, version: "2025b-0+deb12u2", size: null, kb_ids: [], is_available: false, error: null, published_on: null, installed_on: "2026-11-21T08:15:00.000Z" },
    ],
  };
}

const MACHINES = [
  { group: "Office", hostname: "ws-ada", os: "Debian GNU/Linux 12 (bookworm)", cpu: "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz", address: "192.168.1.20", disk: "Samsung SSD 980 PRO 1TB" },
  { group: "Office", hostname: "ws-grace", os: "Ubuntu 24.04.1 LTS", cpu: "AMD Ryzen 7 5700G", address: "192.168.1.21", disk: "WDC WDS500G2B0C" },
  { group: "Lab", hostname: "srv-lab", os: "Rocky Linux 9.4 (Blue Onyx)", cpu: "Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz", address: "10.0.5.12", disk: "Micron 5300 PRO 960GB" },
];

describe("Devices", () => {
  let plumb;
  let browser;
  let page;

  const row = (name) => page.getByRole("row").filter({ hasText: name });
  const listed = async () => (await page.locator("#devices-body tr").allTextContents()).map((text) => text.match(/(ws|srv)-[a-z]+/)[0]);

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
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
        return response.status === 204 ? null : response.json();
      },
      { method, path, body },
    );

  /** A request without a session, as an integration or an agent sends it. */
  const send = async (path, body, headers = {}) => {
    const response = await fetch(`${plumb.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  };

  before(async () => {
    // Sweep for late devices every second, so one machine can go offline during the suite.
    plumb = await startPlumb({ env: { PLUMB_OFFLINE_SWEEP_SECONDS: "1" } });
    await setUp(plumb);
    browser = await launchBrowser(plumb.baseUrl);
    page = browser.page;
    await signIn(page, ADMIN.email, ADMIN.password);

    // Groups through /v2, an install key per group through /api/v1, machines through the agent protocol.
    const { key } = await call("POST", "/api/v1/api-keys", { description: "Provisioning", access: "read_write" });
    const groups = {};
    for (const name of ["Office", "Lab"]) groups[name] = (await send("/v2/groups", { name }, { Authorization: key })).id;
    const installKeys = {};
    for (const [name, id] of Object.entries(groups)) installKeys[name] = (await call("POST", "/api/v1/install-keys", { group_id: id })).key;
    for (const machine of MACHINES) {
      const enrolled = await send("/agent/v1/enroll", { install_key: installKeys[machine.group], inventory: inventory(machine) });
      machine.token = enrolled.device_token;
    }
    // srv-lab promises to check in every 10 s and then stays silent: offline after three intervals.
    const lab = MACHINES[2];
    await send("/agent/v1/checkin", { inventory: inventory(lab), checkin_interval_seconds: 10 }, { Authorization: `Bearer ${lab.token}` });
  });

  after(async () => {
    await browser?.close();
    const code = await plumb?.stop();
    assert.equal(code, 0, "plumb serve exits cleanly on SIGTERM");
    assert.deepEqual(browser?.problems ?? [], []);
  });

  it("lists every device with its group, status, last seen time and OS", async () => {
    await page.goto("/devices");

    await row("ws-ada").waitFor();
    assert.deepEqual(await listed(), ["ws-ada", "ws-grace", "srv-lab"]);
    const cells = await row("srv-lab").getByRole("cell").allTextContents();
    // cells[0] is the row's selection checkbox.
    assert.equal(cells[2], "Lab");
    assert.equal(cells[3], "Online");
    assert.match(cells[4], /\d{4}/, "Last seen shows a local date and time");
    assert.equal(cells[5], "Rocky Linux 9.4 (Blue Onyx)");
    const seen = row("ws-ada").locator("time");
    assert.match(await seen.getAttribute("title"), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.equal(await row("ws-grace").getByRole("cell").nth(2).textContent(), "Office");
    await page.getByRole("heading", { name: "Devices", level: 1 }).waitFor();
    await snap(page, "40-devices-list");
  });

  it("search narrows the list as you type", async () => {
    await page.goto("/devices");
    await row("ws-ada").waitFor();

    await page.getByLabel("Search").pressSequentially("gra");

    await eventually(async () => (await listed()).join() === "ws-grace", { message: "only ws-grace" });
    await snap(page, "41-devices-search");
    await page.getByLabel("Search").fill("nothing-like-this");
    await page.getByText("No devices match “nothing-like-this”").waitFor();
    await page.getByLabel("Search").fill("");
    await eventually(async () => (await listed()).length === 3, { message: "all three again" });
  });

  it("the group filter shows one group's devices", async () => {
    await page.goto("/devices");
    await row("ws-ada").waitFor();

    await page.locator("#device-group").selectOption({ label: "Office" });

    await eventually(async () => (await listed()).join() === "ws-ada,ws-grace", { message: "the Office devices" });
  });

  it("clicking a device opens its page with the inventory", async () => {
    await page.goto("/devices");

    await page.getByRole("link", { name: "ws-ada" }).click();

    await page.waitForURL(/\/devices\/[0-9a-f-]+$/);
    await page.getByRole("heading", { name: "ws-ada", level: 1 }).waitFor();
    const cpus = page.getByRole("table", { name: "CPUs" });
    await cpus.getByRole("cell", { name: "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz" }).waitFor();
    await page.getByRole("table", { name: "Disks" }).getByRole("cell", { name: "Samsung SSD 980 PRO 1TB" }).waitFor();
    await page.getByRole("table", { name: "Network interfaces" }).getByRole("cell", { name: "192.168.1.20/24" }).waitFor();
    await page.getByRole("table", { name: "Updates available" }).getByRole("cell", { name: "openssl" }).waitFor();
    const installed = page.getByRole("table", { name: "Recently installed updates" });
    await installed.getByRole("cell", { name: "tzdata" }).waitFor();
    const installedOn = installed.locator("time");
    assert.equal(await installedOn.getAttribute("title"), "2026-11-21 08:15:00 UTC");
    assert.equal(await installedOn.textContent(), "21 Nov 2026, 09:15", "local time in Europe/Berlin, en-GB");
    assert.match(await page.locator(".device-summary").textContent(), /Office[\s\S]*Online|Online[\s\S]*Office/);
    assert.equal(await page.title(), "ws-ada · plumb");
    const boot = page.locator(".device-summary time").nth(1);
    assert.equal(await boot.getAttribute("title"), "2026-11-20 07:15:00 UTC");
    assert.equal(await boot.textContent(), "20 Nov 2026, 08:15", "local time in Europe/Berlin, en-GB");
    await snap(page, "42-device-page");
  });

  it("an unknown device id shows the not-found page", async () => {
    const response = await page.goto("/devices/0190f5c4-0000-7000-8000-000000000000");

    assert.equal(response.status(), 404);
    await page.getByRole("heading", { name: "Device not found" }).waitFor();
    await page.getByRole("link", { name: "Go to all devices" }).waitFor();
  });

  it("the keyboard alone reaches a device from the list, with focus always visible", async () => {
    await page.goto("/devices");
    await row("ws-grace").waitFor();

    let focused = "";
    for (let presses = 0; presses < 30 && focused !== "ws-grace"; presses += 1) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    assert.equal(focused, "ws-grace", "Tab reaches the device link");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focused link shows a focus ring");
    await snap(page, "43-devices-keyboard");
    await page.keyboard.press("Enter");

    await page.getByRole("heading", { name: "ws-grace", level: 1 }).waitFor();
    await page.getByRole("table", { name: "CPUs" }).getByRole("cell", { name: "AMD Ryzen 7 5700G" }).waitFor();
  });

  it("the list and the device page read well 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto("/devices");
    await row("ws-ada").waitFor();

    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, "the list scrolls sideways");
    await snap(page, "44-devices-360");
    await page.getByRole("link", { name: "srv-lab" }).click();
    await page.getByRole("heading", { name: "srv-lab", level: 1 }).waitFor();
    assert.ok((await overflow()) <= 0, "the device page scrolls sideways");
    await snap(page, "45-device-360");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("the Status filter tells online from offline devices once one stops checking in", async () => {
    // srv-lab's last check-in promised a 10 s interval: three missed intervals make it offline.
    await eventually(async () => (await call("GET", "/api/v1/devices?online=false")).data.length === 1, {
      timeout: 45_000,
      interval: 500,
      message: "srv-lab to go offline",
    });
    await page.goto("/devices");
    await row("srv-lab").waitFor();
    assert.equal(await row("srv-lab").getByRole("cell").nth(3).textContent(), "Offline");

    await page.getByLabel("Status").selectOption({ label: "Offline" });
    await eventually(async () => (await listed()).join() === "srv-lab", { message: "only the offline device" });
    await snap(page, "46-devices-offline");
    await page.getByLabel("Status").selectOption({ label: "Online" });
    await eventually(async () => (await listed()).join() === "ws-ada,ws-grace", { message: "only the online devices" });
  });

  it("a technician without Settings access lands on Devices and sees them", async () => {
    await call("POST", "/api/v1/users", { email: TECH.email, name: TECH.name, role: "technician", permissions: [], password: TECH.password });
    await signOut(page);

    await signIn(page, TECH.email, TECH.password);

    await page.waitForURL("**/devices");
    await row("ws-ada").waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Devices" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "API keys" }).count(), 0);
    assert.equal(await nav.getByRole("link", { name: "Devices" }).getAttribute("aria-current"), "page");
    await snap(page, "47-devices-technician");
  });
});
