// Settings → Webhooks: endpoints (add, edit, delete) and each one's Requests tab (every attempt,
// Re-run for a failed one, Send test event), through /api/v1/webhooks with the page's CSRF
// token. A generated secret is shown once, in its own dialog, and cleared when it closes.

import { api } from "./api.js";
import { timeElement } from "./time.js";
import { notify, showError } from "./notify.js";
import "./copy.js";
import { openDialog, closeDialog, forgetOnClose, setBusy } from "./dialog.js";
import { initMenu } from "./menu.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const PAGE = 25;
// While the Requests tab is open (and only its first page is shown), it refreshes this often.
const REFRESH_MS = 2000;
let refreshTimer = null;

const list = {
  view: $("endpoints-view"),
  body: $("endpoints-body"),
  card: $("endpoints-card"),
  loading: $("endpoints-loading"),
  error: $("endpoints-error"),
  empty: $("endpoints-empty"),
  row: $("endpoint-row"),
};
const requests = {
  view: $("requests-view"),
  body: $("requests-body"),
  card: $("requests-card"),
  error: $("requests-error"),
  empty: $("requests-empty"),
  moreRow: $("requests-more-row"),
  row: $("request-row"),
  endpoint: null,
  cursor: null,
};
const form = $("endpoint-form");
const dialog = $("endpoint-dialog");
const confirm = { dialog: $("confirm-dialog"), button: $("confirm-button") };
let editing = null;
let pendingConfirm = null;

async function load() {
  list.loading.hidden = false;
  try {
    const { data } = await api("GET", "/api/v1/webhooks");
    showError(list.error, "");
    list.body.replaceChildren(...data.map(endpointRow));
    list.card.hidden = data.length === 0;
    list.empty.hidden = data.length > 0;
  } catch (error) {
    showError(list.error, `The webhooks could not be loaded. ${error.message}`);
  } finally {
    list.loading.hidden = true;
  }
}

function endpointRow(endpoint) {
  const tr = list.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  tr.dataset.id = endpoint.id;
  field("url").textContent = endpoint.url;
  field("description").textContent = endpoint.description;
  field("events").textContent = endpoint.event_types ? endpoint.event_types.join(", ") : "All events";
  const status = field("status");
  status.textContent = endpoint.enabled ? (endpoint.has_secret ? "Enabled, signed" : "Enabled") : "Disabled";
  if (endpoint.enabled) status.classList.add("active");
  field("created").append(timeElement(endpoint.created_at));
  const button = tr.querySelector("[data-menu-button]");
  const menu = tr.querySelector('[role="menu"]');
  button.setAttribute("aria-label", `Actions for ${endpoint.url}`);
  menu.setAttribute("aria-label", `Actions for ${endpoint.url}`);
  initMenu(button, menu, (action) => ACTIONS[action](endpoint));
  return tr;
}

function menuButton(id) {
  return list.body.querySelector(`tr[data-id="${CSS.escape(id)}"] [data-menu-button]`);
}

// The dialog: one form for adding and editing.
function openForm(endpoint) {
  editing = endpoint;
  $("endpoint-title").textContent = endpoint ? "Edit webhook" : "Add webhook";
  form.elements.url.value = endpoint?.url ?? "";
  form.elements.description.value = endpoint?.description ?? "";
  form.elements.secret.value = "";
  form.querySelector("[data-keep-secret]").hidden = !endpoint?.has_secret;
  form.elements.secret_mode.value = endpoint?.has_secret ? "keep" : "none";
  form.elements.events_mode.value = endpoint?.event_types ? "some" : "all";
  for (const box of form.querySelectorAll('input[name="event_types"]')) {
    box.checked = endpoint?.event_types?.includes(box.value) ?? false;
  }
  form.elements.enabled.checked = endpoint?.enabled ?? true;
  showError(form.querySelector("[data-error]"), "");
  $("endpoint-url-error").hidden = true;
  sync();
  openDialog(dialog, {
    focus: form.elements.url,
    returnTo: () => (endpoint ? menuButton(endpoint.id) : $("create-endpoint")),
  });
}

function sync() {
  $("secret-field").hidden = form.elements.secret_mode.value !== "set";
  $("event-choices").hidden = form.elements.events_mode.value !== "some";
}
form.addEventListener("change", sync);

function readForm() {
  const url = form.elements.url.value.trim();
  const urlError = $("endpoint-url-error");
  urlError.hidden = url !== "";
  urlError.textContent = url ? "" : "Enter the URL events are posted to.";
  if (!url) {
    form.elements.url.focus();
    return null;
  }
  const body = { url, description: form.elements.description.value.trim(), enabled: form.elements.enabled.checked };
  const mode = form.elements.secret_mode.value;
  if (mode === "none" && (!editing || editing.has_secret)) body.secret = null;
  if (mode === "generate") body.generate_secret = true;
  if (mode === "set") body.secret = form.elements.secret.value;
  if (form.elements.events_mode.value === "all") {
    body.event_types = null;
  } else {
    body.event_types = [...form.querySelectorAll('input[name="event_types"]:checked')].map((box) => box.value);
  }
  if (!editing && body.secret === null) delete body.secret;
  return body;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = readForm();
  if (!body) return;
  const submit = $("endpoint-submit");
  setBusy(submit, true, "Saving…");
  try {
    const saved = editing
      ? await api("PATCH", `/api/v1/webhooks/${editing.id}`, body)
      : await api("POST", "/api/v1/webhooks", body);
    closeDialog(dialog);
    notify(editing ? `Saved the webhook ${saved.url}.` : `Added the webhook ${saved.url}.`);
    await load();
    if (saved.secret) {
      $("secret-value").value = saved.secret;
      openDialog($("secret-dialog"), { focus: $("secret-dialog").querySelector("[data-copy]") });
    }
  } catch (error) {
    showError(form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});

forgetOnClose($("secret-dialog"), () => {
  $("secret-value").value = "";
});
$("create-endpoint").addEventListener("click", () => openForm(null));

// The Requests tab of one endpoint.
async function showRequests(endpoint) {
  requests.endpoint = endpoint;
  requests.cursor = null;
  requests.paged = false;
  $("requests-url").textContent = endpoint.url;
  list.view.hidden = true;
  requests.view.hidden = false;
  requests.body.replaceChildren();
  await loadRequests();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => {
    const reading = requests.body.querySelector("details[open]");
    if (!requests.view.hidden && !requests.paged && !document.hidden && !reading) loadRequests();
  }, REFRESH_MS);
  $("requests-title").focus?.();
}

async function loadRequests({ more = false } = {}) {
  const endpoint = requests.endpoint;
  const query = `?limit=${PAGE}${more && requests.cursor ? `&cursor=${encodeURIComponent(requests.cursor)}` : ""}`;
  try {
    const page = await api("GET", `/api/v1/webhooks/${endpoint.id}/deliveries${query}`);
    showError(requests.error, "");
    const rows = page.data.map(requestRow);
    requests.paged = more || requests.paged;
    if (more) requests.body.append(...rows);
    else requests.body.replaceChildren(...rows);
    requests.cursor = page.next_cursor;
    requests.moreRow.hidden = !page.next_cursor;
    const any = requests.body.children.length > 0;
    requests.card.hidden = !any;
    requests.empty.hidden = any;
  } catch (error) {
    showError(requests.error, `The requests could not be loaded. ${error.message}`);
  }
}

function requestRow(attempt) {
  const tr = requests.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  field("time").append(timeElement(attempt.attempted_at));
  field("event").textContent = attempt.event_type;
  const status = field("status");
  status.textContent = attempt.status ?? "No answer";
  if (attempt.ok) status.classList.add("active");
  field("duration").textContent = `${attempt.duration_ms} ms`;
  field("response").textContent = attempt.response || "(empty)";
  field("body").textContent = attempt.request_body;
  const rerun = tr.querySelector("[data-rerun]");
  rerun.hidden = attempt.ok || attempt.delivery_state !== "failed";
  rerun.setAttribute("aria-label", `Re-run the ${attempt.event_type} event`);
  rerun.addEventListener("click", async () => {
    setBusy(rerun, true, "Queued…");
    try {
      await api("POST", `/api/v1/webhooks/${requests.endpoint.id}/deliveries/${attempt.id}/rerun`);
      notify(`Queued ${attempt.event_type} again, with the same event_id.`);
      setTimeout(() => loadRequests(), 1500);
    } catch (error) {
      setBusy(rerun, false);
      notify(error.message, { tone: "error" });
    }
  });
  return tr;
}

$("requests-back").addEventListener("click", () => {
  const id = requests.endpoint?.id;
  clearInterval(refreshTimer);
  requests.view.hidden = true;
  list.view.hidden = false;
  (id && menuButton(id))?.focus();
});
$("requests-more").addEventListener("click", () => loadRequests({ more: true }));
$("send-test").addEventListener("click", async () => {
  const button = $("send-test");
  setBusy(button, true, "Sending…");
  try {
    const { event_id: id } = await api("POST", `/api/v1/webhooks/${requests.endpoint.id}/test`);
    notify(`Queued test event ${id}. It shows here once sent.`);
    setTimeout(() => loadRequests(), 1500);
  } catch (error) {
    showError(requests.error, error.message);
  } finally {
    setBusy(button, false);
  }
});

confirm.button.addEventListener("click", async () => {
  if (!pendingConfirm) return;
  setBusy(confirm.button, true, "Working…");
  try {
    await pendingConfirm();
  } catch (error) {
    showError(confirm.dialog.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(confirm.button, false);
  }
});

const ACTIONS = {
  requests: showRequests,
  edit: openForm,
  delete(endpoint) {
    $("confirm-title").textContent = "Delete this webhook?";
    $("confirm-text").textContent = `${endpoint.url} receives no more events, and its requests log is deleted.`;
    $("confirm-warning").textContent = "This cannot be undone.";
    confirm.button.textContent = "Delete webhook";
    showError(confirm.dialog.querySelector("[data-error]"), "");
    pendingConfirm = async () => {
      await api("DELETE", `/api/v1/webhooks/${endpoint.id}`);
      closeDialog(confirm.dialog);
      notify(`Deleted the webhook ${endpoint.url}.`);
      await load();
    };
    openDialog(confirm.dialog, {
      focus: confirm.dialog.querySelector("[data-close]"),
      returnTo: () => $("create-endpoint"),
    });
  },
};

load();
