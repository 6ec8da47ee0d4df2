// Settings → API keys → Recent requests: a key's request log (GET /api/v1/api-keys/{id}/requests),
// newest first, filterable by status, older pages on demand.

import { api } from "./api.js";
import { timeElement } from "./time.js";
import { openDialog } from "./dialog.js";
import { showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
const view = {
  dialog: $("requests-dialog"),
  title: $("requests-title"),
  status: $("requests-status"),
  body: $("requests-body"),
  empty: $("requests-empty"),
  more: $("requests-more"),
  error: $("requests-dialog").querySelector("[data-error]"),
};
let current = null;
let cursor = null;

async function loadPage({ append }) {
  const params = new URLSearchParams({ limit: "50" });
  if (view.status.value) params.set("status", view.status.value);
  if (append && cursor) params.set("cursor", cursor);
  try {
    const page = await api("GET", `/api/v1/api-keys/${current.id}/requests?${params}`);
    showError(view.error, "");
    const rows = page.data.map(row);
    if (append) view.body.append(...rows);
    else view.body.replaceChildren(...rows);
    cursor = page.next_cursor;
    view.more.hidden = !cursor;
    view.empty.hidden = view.body.children.length > 0;
  } catch (error) {
    showError(view.error, `The requests could not be loaded. ${error.message}`);
  }
}

function row(request) {
  const tr = document.createElement("tr");
  const cell = (label, content) => {
    const td = document.createElement("td");
    td.dataset.label = label;
    td.append(content);
    tr.append(td);
    return td;
  };
  cell("Time", timeElement(request.at));
  const status = document.createElement("span");
  status.className = `status-code${request.status >= 400 ? " failed" : ""}`;
  status.textContent = String(request.status);
  cell("Status", status);
  cell("Request", `${request.method} ${request.path}`);
  cell("From", request.client_ip ?? "--");
  cell("User agent", request.user_agent ?? "--");
  cell("Duration", `${request.duration_ms.toFixed(1)} ms`);
  return tr;
}

/** Opens the log of `key`; focus returns to `returnTo()` when it closes. */
export async function showRequests(key, returnTo) {
  current = key;
  cursor = null;
  view.title.textContent = `Recent requests of “${key.description}”`;
  view.status.value = "";
  view.body.replaceChildren();
  view.empty.hidden = true;
  view.more.hidden = true;
  openDialog(view.dialog, { focus: view.status, returnTo });
  await loadPage({ append: false });
}

view.status.addEventListener("change", () => loadPage({ append: false }));
view.more.addEventListener("click", () => loadPage({ append: true }));
