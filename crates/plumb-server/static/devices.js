// Devices: the list from GET /api/v1/devices with search (as you type), group and status filters
// and "Load more" (keyset: starting_after the last loaded id); the group names come from
// GET /api/v1/groups. Every filter change starts the list over. Every few seconds, while the
// whole list is loaded, devices enrolled since are fetched (starting_after the last one) and
// appended, so a device added with "Add devices" shows up without a reload.

import { api } from "./api.js";
import { devicesArrived } from "./add-devices.js";
import { initBulk, isSelected, select, setTags, shownDevices } from "./bulk.js";
import { groupsWithPaths, fillGroupSelects } from "./groups.js";
import { timeElement, never } from "./time.js";
import { notify, showError } from "./notify.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;
const LOADING_DELAY_MS = 200;
const POLL_MS = 3000;

const view = {
  body: $("devices-body"),
  card: $("devices-card"),
  loading: $("devices-loading"),
  error: $("devices-error"),
  empty: $("devices-empty"),
  noMatch: $("devices-no-match"),
  count: $("devices-count"),
  more: $("devices-more"),
  search: $("device-search"),
  group: $("device-group"),
  status: $("device-status"),
  tag: $("device-tag"),
  row: $("device-row"),
};

const devices = [];
let hasMore = false;
let generation = 0;

function filters() {
  return { search: view.search.value.trim(), group_id: view.group.value, online: view.status.value, tag_id: view.tag.value };
}

function filtered({ search, group_id, online, tag_id }) {
  return search !== "" || group_id !== "" || online !== "" || tag_id !== "";
}

function query(after) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [name, value] of Object.entries(filters())) if (value !== "") params.set(name, value);
  if (after) params.set("starting_after", after);
  return `?${params}`;
}

/** Loads the first page (`more` false) or the next one; an older answer never replaces a newer one. */
async function load({ more = false } = {}) {
  const mine = ++generation;
  const slow = setTimeout(() => {
    if (!more) view.loading.hidden = false;
  }, LOADING_DELAY_MS);
  view.card.setAttribute("aria-busy", "true");
  if (more) {
    view.more.disabled = true;
    view.more.textContent = "Loading…";
  }
  try {
    const after = more ? devices.at(-1)?.id : undefined;
    const page = await api("GET", `/api/v1/devices${query(after)}`);
    if (mine !== generation) return;
    if (!more) devices.length = 0;
    devices.push(...page.data);
    hasMore = page.has_more;
    showError(view.error, "");
    render({ focusFrom: more ? page.data[0]?.id : undefined });
  } catch (error) {
    if (mine !== generation) return;
    showError(view.error, `The devices could not be loaded. ${error.message} Reload the page to try again.`);
  } finally {
    clearTimeout(slow);
    if (mine === generation) {
      view.loading.hidden = true;
      view.card.removeAttribute("aria-busy");
      view.more.disabled = false;
      view.more.textContent = "Load more";
    }
  }
}

function render({ focusFrom } = {}) {
  const current = filters();
  view.body.replaceChildren(...devices.map(row));
  shownDevices(devices);
  view.card.hidden = devices.length === 0;
  view.empty.hidden = devices.length > 0 || filtered(current);
  view.noMatch.hidden = devices.length > 0 || !filtered(current);
  view.noMatch.textContent = current.search
    ? `No devices match “${current.search}” with these filters. Try another name, or clear the search.`
    : "No devices match these filters. Choose All to see every device.";
  view.count.textContent = devices.length === 0 ? "" : `${devices.length} ${devices.length === 1 ? "device" : "devices"} shown`;
  view.more.hidden = !hasMore;
  // After "Load more", keyboard users continue at the first new device rather than at the top.
  if (focusFrom) view.body.querySelector(`tr[data-id="${CSS.escape(focusFrom)}"] a`)?.focus();
}

function row(device) {
  const tr = view.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  tr.dataset.id = device.id;
  const box = field("select");
  box.checked = isSelected(device.id);
  box.setAttribute("aria-label", `Select ${device.hostname}`);
  box.addEventListener("change", () => select([device.id], box.checked, devices));
  const link = field("hostname");
  link.href = `/devices/${encodeURIComponent(device.id)}`;
  link.textContent = device.hostname;
  if (device.nickname) field("nickname").textContent = device.nickname;
  else field("nickname").remove();
  field("group").textContent = device.group_name ?? "No group";
  const status = field("status");
  status.classList.add(device.online ? "online" : "offline");
  field("status_text").textContent = device.online ? "Online" : "Offline";
  field("last_seen").append(device.last_seen_at ? timeElement(device.last_seen_at) : never());
  field("os").textContent = device.os ?? "--";
  return tr;
}

/** Appends devices enrolled since the last one shown (only once the whole list is loaded). */
async function poll() {
  if (document.hidden || hasMore) return;
  const mine = generation;
  try {
    const after = devices.at(-1)?.id;
    const page = await api("GET", `/api/v1/devices${query(after)}`, undefined, { signInOn401: false });
    if (mine !== generation || page.data.length === 0) return;
    devices.push(...page.data);
    hasMore = page.has_more;
    render();
    const names = page.data.map((device) => device.hostname).join(", ");
    notify(`New ${page.data.length === 1 ? "device" : "devices"}: ${names}.`);
    devicesArrived(page.data);
  } catch {
    // The next poll tries again; a real problem shows when the person acts.
  }
}

/** Fills the Group filter, parents before their children ("Office › Laptops"), by name. */
async function loadGroups() {
  try {
    fillGroupSelects(await groupsWithPaths(), view.group, $("add-group"), $("bulk-group"));
  } catch (error) {
    notify(`The groups could not be loaded, so the Group filter offers only “No group”. ${error.message}`, { tone: "error" });
  }
}

async function loadTags() {
  try {
    const { data } = await api("GET", "/api/v1/tags");
    const current = view.tag.value;
    view.tag.replaceChildren(new Option("All tags", ""), ...data.map((tag) => new Option(tag.name, tag.id)));
    view.tag.value = data.some((tag) => tag.id === current) ? current : "";
    setTags(data);
  } catch (error) {
    notify(`The tags could not be loaded. ${error.message}`, { tone: "error" });
  }
}

let searchTimer;
view.search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => load(), SEARCH_DELAY_MS);
});
view.group.addEventListener("change", () => load());
view.status.addEventListener("change", () => load());
view.tag.addEventListener("change", () => load());
$("select-all").addEventListener("change", (event) => select(devices.map((device) => device.id), event.target.checked, devices));
initBulk(async () => {
  await load();
  await loadTags();
});
view.more.addEventListener("click", () => load({ more: true }));

// Coming back to the tab refreshes the online states and last check-ins.
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && devices.length <= PAGE_SIZE) load();
});

loadGroups();
loadTags();
load();
setInterval(poll, POLL_MS);
