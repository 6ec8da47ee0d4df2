// Settings → Activity: pages through GET /api/v1/activity ("Load more" follows next_cursor) and
// filters what is loaded by kind and by text, in the browser.

import { api } from "./api.js";
import { timeElement } from "./time.js";
import { showError } from "./notify.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 50;

const WORDS = {
  "organization.created": "Created the organization",
  "session.signed_in": "Signed in",
  "session.sign_in_failed": "Failed to sign in",
  "user.created": "Added a user",
  "user.updated": "Changed a user",
  "api_key.created": "Created an API key",
  "api_key.updated": "Edited an API key",
  "api_key.regenerated": "Regenerated an API key",
  "api_key.revealed": "Copied an API key",
  "api_key.deleted": "Deleted an API key",
  "group.created": "Created a group",
  "group.updated": "Changed a group",
  "group.deleted": "Deleted a group",
  "group.devices_assigned": "Moved devices into a group",
  "group.devices_removed": "Took devices out of a group",
  "devices.ungrouped": "Took devices out of their groups",
  "device.updated": "Changed a device",
  "device.deleted": "Deleted a device",
  "tag.created": "Created a tag",
  "tag.updated": "Renamed a tag",
  "tag.deleted": "Deleted a tag",
  "tag.devices_added": "Tagged devices",
  "tag.devices_removed": "Untagged devices",
  "custom_field.created": "Created a custom field",
  "custom_field.updated": "Changed a custom field",
  "custom_field.deleted": "Deleted a custom field",
  "custom_field_value.set": "Set a custom field value",
  "custom_field_value.deleted": "Cleared a custom field value",
  "alert.resolved": "Resolved an alert",
  "automation.triggered": "Triggered an automation",
  "event_webhook.created": "Added a webhook",
  "event_webhook.updated": "Changed a webhook",
  "event_webhook.deleted": "Deleted a webhook",
  "event_webhook.rerun": "Re-ran a webhook delivery",
};
// Entries whose before/after are keyed by device: shown as the devices they name.
const PER_DEVICE = new Set(["group.devices_assigned", "group.devices_removed", "devices.ungrouped", "tag.devices_added", "tag.devices_removed"]);
const FIELDS = {
  description: "Description",
  access: "Access",
  masked_key: "Key",
  role: "Role",
  permissions: "Permissions",
  disabled: "Status",
  reason: "Reason",
  name: "Name",
  nickname: "Nickname",
  notes: "Notes",
  group_id: "Group",
  parent_id: "Parent group",
  admin_only: "Administrators only",
  value: "Value",
  status: "Status",
  device_ids: "Devices",
};
const VALUES = {
  access: { read_write: "Read & write", read_only: "Read-only" },
  role: { admin: "Administrator", technician: "Technician" },
  disabled: { true: "Disabled", false: "Active" },
  admin_only: { true: "Yes", false: "No" },
  status: { open: "Open", resolved: "Resolved" },
};

const view = {
  body: $("activity-body"),
  card: $("activity-card"),
  loading: $("activity-loading"),
  error: $("activity-error"),
  empty: $("activity-empty"),
  count: $("activity-count"),
  more: $("activity-more"),
  kind: $("activity-kind"),
  filter: $("activity-filter"),
  row: $("activity-row"),
};

const entries = [];
const names = { api_key: new Map(), user: new Map() };
let cursor = null;

function kindOf(entry) {
  const kind = entry.action.split(".")[0];
  return kind === "custom_field_value" ? "custom_field" : kind;
}

/** Who did it: a person, the API key that made a change through /v2, or a webhook trigger. */
function who(entry) {
  if (entry.actor) return entry.actor.email;
  if (entry.api_key) return `API key “${entry.api_key.description}” (${entry.api_key.masked_key})`;
  if (entry.action === "automation.triggered") return "A webhook trigger";
  return "Someone not signed in";
}

function value(field, raw) {
  if (raw === null || raw === undefined) return "none";
  if (Array.isArray(raw)) return raw.length ? raw.map((item) => (item === "settings" ? "Settings" : item)).join(", ") : "none";
  return VALUES[field]?.[String(raw)] ?? String(raw);
}

function target(entry) {
  const details = entry.details ?? {};
  if (entry.action === "session.signed_in") return "";
  if (entry.target_type === "api_key") {
    const name = details.description ?? names.api_key.get(entry.target_id);
    return name ? `“${name}”` : "a deleted key";
  }
  if (entry.target_type === "user") return details.email ?? names.user.get(entry.target_id) ?? "a user";
  if (entry.action === "organization.created") return details.name ?? "";
  const name = details.name ?? details.after?.name ?? details.hostname ?? details.device_hostname;
  const label = (entry.target_type ?? "").replaceAll("_", " ");
  return name ? `${label} “${name}”` : label;
}

/** The change as DOM: "Access: Read-only → Read & write", or the notable facts of a creation. */
function change(entry) {
  const details = entry.details ?? {};
  const out = document.createElement("span");
  out.className = "change";
  const parts = [];
  if (PER_DEVICE.has(entry.action)) {
    const line = document.createElement("span");
    line.textContent = `${FIELDS.device_ids}: ${value("device_ids", details.device_ids)}`;
    parts.push(line);
  } else if (details.before && details.after) {
    for (const field of Object.keys(details.after)) {
      const line = document.createElement("span");
      const del = document.createElement("del");
      const ins = document.createElement("ins");
      del.textContent = value(field, details.before[field]);
      ins.textContent = value(field, details.after[field]);
      // The arrow is drawn; screen readers hear "to" instead.
      const arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.textContent = "→";
      arrow.setAttribute("aria-hidden", "true");
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = " to ";
      line.append(`${FIELDS[field] ?? field}: `, del, arrow, spoken, ins);
      parts.push(line);
    }
  } else {
    for (const field of ["access", "masked_key", "role", "permissions", "reason", "parent_id", "admin_only", "device_ids"]) {
      if (field in details) {
        const line = document.createElement("span");
        line.textContent = `${FIELDS[field]}: ${value(field, details[field])}`;
        parts.push(line);
      }
    }
  }
  parts.forEach((part, index) => {
    if (index > 0) out.append(document.createElement("br"));
    out.append(part);
  });
  return out;
}

function row(entry) {
  const tr = view.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  field("time").append(timeElement(entry.created_at));
  field("actor").textContent = who(entry);
  field("action").textContent = WORDS[entry.action] ?? entry.action;
  field("target").textContent = target(entry);
  const changed = change(entry);
  // An empty cell stays empty, so the narrow-screen card can leave it out.
  if (changed.childNodes.length > 0) field("change").append(changed);
  field("ip").textContent = entry.ip ?? "";
  tr.dataset.kind = kindOf(entry);
  return tr;
}

function render() {
  const kind = view.kind.value;
  const text = view.filter.value.trim().toLowerCase();
  const rows = entries.map(row).filter((tr) => {
    if (kind && tr.dataset.kind !== kind) return false;
    return !text || tr.textContent.toLowerCase().includes(text);
  });
  view.body.replaceChildren(...rows);
  view.card.hidden = rows.length === 0;
  view.empty.hidden = rows.length > 0;
  view.empty.textContent = entries.length === 0
    ? "Nothing has happened yet."
    : `No loaded entries match.${cursor ? " Load more to look further back." : ""}`;
  const loaded = `${entries.length} ${entries.length === 1 ? "entry" : "entries"} loaded`;
  view.count.textContent = rows.length === entries.length ? loaded : `Showing ${rows.length} of ${loaded}`;
  view.more.hidden = !cursor;
}

async function loadMore() {
  view.more.disabled = true;
  view.more.textContent = "Loading…";
  try {
    const query = `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await api("GET", `/api/v1/activity${query}`);
    entries.push(...page.data);
    cursor = page.next_cursor;
    showError(view.error, "");
    render();
  } catch (error) {
    showError(view.error, `The activity log could not be loaded. ${error.message} Try again with “Load more” or reload the page.`);
    view.more.hidden = false;
  } finally {
    view.loading.hidden = true;
    view.more.disabled = false;
    view.more.textContent = "Load more";
  }
}

/** Names for targets whose entries do not carry them (edits name only what changed). */
async function loadNames() {
  const lists = [api("GET", "/api/v1/api-keys").then(({ data }) => data.forEach((key) => names.api_key.set(key.id, key.description)))];
  // Only administrators may list users; the navigation shows Users to them alone.
  if (document.querySelector('a[href="/settings/users"]')) {
    lists.push(api("GET", "/api/v1/users").then(({ data }) => data.forEach((user) => names.user.set(user.id, user.email))));
  }
  await Promise.allSettled(lists);
}

view.more.addEventListener("click", loadMore);
view.kind.addEventListener("change", render);
view.filter.addEventListener("input", render);

await loadNames();
await loadMore();
