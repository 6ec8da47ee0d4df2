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
  "event_webhook.created": "Added a webhook",
  "event_webhook.updated": "Changed a webhook",
  "event_webhook.deleted": "Deleted a webhook",
  "event_webhook.rerun": "Re-ran a webhook delivery",
};
const FIELDS = {
  description: "Description",
  access: "Access",
  masked_key: "Key",
  role: "Role",
  permissions: "Permissions",
  disabled: "Status",
  reason: "Reason",
};
const VALUES = {
  access: { read_write: "Read & write", read_only: "Read-only" },
  role: { admin: "Administrator", technician: "Technician" },
  disabled: { true: "Disabled", false: "Active" },
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
  return entry.action.split(".")[0];
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
  return entry.target_type;
}

/** The change as DOM: "Access: Read-only → Read & write", or the notable facts of a creation. */
function change(entry) {
  const details = entry.details ?? {};
  const out = document.createElement("span");
  out.className = "change";
  const parts = [];
  if (details.before && details.after) {
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
    for (const field of ["access", "masked_key", "role", "permissions", "reason"]) {
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
  field("actor").textContent = entry.actor?.email ?? "Someone not signed in";
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
