// Settings → API keys: list and live search (GET /api/v1/api-keys?search=), filter and sort by
// expiry, create, edit (with expiry, addresses and rate limit), disable and enable, regenerate
// (with a grace period), recent requests, delete and Copy key, each through the JSON API with the
// page's CSRF token.

import { api } from "./api.js";
import { timeElement, never } from "./time.js";
import { notify, showError } from "./notify.js";
import { copyText } from "./copy.js";
import { openDialog, closeDialog, forgetOnClose, setBusy } from "./dialog.js";
import { initMenu } from "./menu.js";
import { arrange, changedRules, readRules, resetRules, statusCell } from "./api-key-rules.js";
import { showRequests } from "./api-key-requests.js";
import { openRegenerate } from "./api-key-regenerate.js";
import { initDefaultLimit } from "./api-key-settings.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const ACCESS = { read_write: "Read & write", read_only: "Read-only" };
const SEARCH_DELAY_MS = 250;
const LOADING_DELAY_MS = 200;

const list = {
  body: $("keys-body"),
  card: $("keys-card"),
  loading: $("keys-loading"),
  error: $("keys-error"),
  empty: $("keys-empty"),
  noMatch: $("keys-no-match"),
  search: $("key-search"),
  filter: $("key-filter"),
  sort: $("key-sort"),
  row: $("key-row"),
};
const create = { dialog: $("create-dialog"), form: $("create-form"), result: $("create-result") };
const edit = { dialog: $("edit-dialog"), form: $("edit-form") };
const secret = { dialog: $("secret-dialog") };
const confirm = { dialog: $("confirm-dialog"), button: $("confirm-button") };

let search = "";
let loaded = [];
let generation = 0;
let pendingConfirm = null;

/** Loads the list for the current search; a slower, older answer never replaces a newer one. */
async function load() {
  const mine = ++generation;
  const slow = setTimeout(() => {
    list.loading.hidden = false;
  }, LOADING_DELAY_MS);
  list.card.setAttribute("aria-busy", "true");
  try {
    const query = search ? `?search=${encodeURIComponent(search)}` : "";
    const { data } = await api("GET", `/api/v1/api-keys${query}`);
    if (mine !== generation) return;
    showError(list.error, "");
    loaded = data;
    render();
  } catch (error) {
    if (mine !== generation) return;
    showError(list.error, `The API keys could not be loaded. ${error.message} Reload the page to try again.`);
  } finally {
    clearTimeout(slow);
    if (mine === generation) {
      list.loading.hidden = true;
      list.card.removeAttribute("aria-busy");
    }
  }
}

function render() {
  // Rows are rebuilt; keep keyboard focus on the same key's menu button if it had it.
  const focusedId = document.activeElement?.closest?.("#keys-body tr")?.dataset.id;
  const keys = arrange(loaded, list.filter.value, list.sort.value);
  const narrowed = search !== "" || list.filter.value !== "all";
  list.body.replaceChildren(...keys.map(row));
  list.card.hidden = keys.length === 0;
  list.empty.hidden = keys.length > 0 || narrowed;
  list.noMatch.hidden = keys.length > 0 || !narrowed;
  list.noMatch.textContent = search
    ? `No API keys match “${search}”. Try another word, or clear the search.`
    : "No API keys are shown with this choice. Choose All keys to see every key.";
  if (focusedId) (menuButton(focusedId) ?? list.search).focus();
}

function row(key) {
  const tr = list.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  tr.dataset.id = key.id;
  field("masked_key").textContent = key.masked_key;
  field("description").textContent = key.description;
  const access = field("access");
  access.textContent = ACCESS[key.access] ?? key.access;
  access.classList.add(key.access === "read_write" ? "read-write" : "read-only");
  field("last_used").append(key.last_used_at ? timeElement(key.last_used_at) : never());
  field("created").append(timeElement(key.created_at));
  field("traffic").textContent = String(key.requests_last_24h);
  field("status").append(statusCell(key));
  field("toggle").textContent = key.disabled ? "Enable" : "Disable";
  const grace = tr.querySelector("[data-grace-only]");
  grace.hidden = !key.previous_valid_until;
  grace.querySelector('[role="menuitem"]').hidden = !key.previous_valid_until;
  const button = tr.querySelector("[data-menu-button]");
  const menu = tr.querySelector('[role="menu"]');
  button.setAttribute("aria-label", `Actions for ${key.description}`);
  menu.setAttribute("aria-label", `Actions for ${key.description}`);
  initMenu(button, menu, (action) => ACTIONS[action](key));
  return tr;
}

function menuButton(id) {
  return list.body.querySelector(`tr[data-id="${CSS.escape(id)}"] [data-menu-button]`);
}

/** Reads and checks the Description and Access level of a key form; null if invalid. */
function readKeyForm(form) {
  const input = form.elements.description;
  const problem = form.querySelector(".field-error");
  const description = input.value.trim();
  const invalid = description === "";
  input.setAttribute("aria-invalid", String(invalid));
  problem.hidden = !invalid;
  problem.textContent = invalid ? "Enter a description, such as the name of the integration that will use the key." : "";
  if (invalid) {
    input.focus();
    return null;
  }
  const rules = readRules(form);
  if (!rules) return null;
  return { description, access: form.elements.access.value, ...rules };
}

function resetKeyForm(form, key = {}) {
  const { description = "", access = "read_only" } = key;
  resetRules(form, key);
  form.elements.description.value = description;
  form.elements.description.removeAttribute("aria-invalid");
  form.querySelector(".field-error").hidden = true;
  form.elements.access.value = access;
  showError(form.querySelector("[data-error]"), "");
}

// Create: the form, then the full key once.
$("create-key").addEventListener("click", () => {
  resetKeyForm(create.form);
  create.form.hidden = false;
  create.result.hidden = true;
  $("create-title").textContent = "Create API key";
  openDialog(create.dialog, { focus: create.form.elements.description });
});

create.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = readKeyForm(create.form);
  if (!body) return;
  const submit = create.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Creating…");
  try {
    const created = await api("POST", "/api/v1/api-keys", body);
    $("create-title").textContent = "API key created";
    $("create-result-text").textContent = `“${created.description}” is ready. Its full value:`;
    $("created-value").value = created.key;
    create.form.hidden = true;
    create.result.hidden = false;
    create.result.querySelector("[data-copy]").focus();
    await load();
  } catch (error) {
    showError(create.form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});

// The key value must not linger in the page once its dialog is closed.
forgetOnClose(create.dialog, () => {
  $("created-value").value = "";
});
forgetOnClose(secret.dialog, () => {
  $("secret-value").value = "";
});

edit.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = readKeyForm(edit.form);
  if (!body) return;
  const before = edit.current;
  const change = changedRules(body, before);
  if (body.description !== before.description) change.description = body.description;
  if (body.access !== before.access) change.access = body.access;
  if (Object.keys(change).length === 0) {
    // Saving nothing would still write an empty "edited" entry to the activity log.
    closeDialog(edit.dialog);
    return;
  }
  const submit = edit.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Saving…");
  try {
    const saved = await api("PATCH", `/api/v1/api-keys/${before.id}`, change);
    closeDialog(edit.dialog);
    notify(`Saved “${saved.description}”. The changes apply from its next request.`);
    await load();
  } catch (error) {
    showError(edit.form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});

confirm.button.addEventListener("click", async () => {
  if (!pendingConfirm) return;
  const problem = confirm.dialog.querySelector("[data-error]");
  setBusy(confirm.button, true, "Working…");
  try {
    await pendingConfirm();
  } catch (error) {
    showError(problem, error.message);
  } finally {
    setBusy(confirm.button, false);
  }
});

/** Asks before an irreversible change; `run` does it and closes the dialog. */
function ask({ title, text, warning, button, run, key }) {
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-warning").textContent = warning;
  confirm.button.textContent = button;
  showError(confirm.dialog.querySelector("[data-error]"), "");
  pendingConfirm = run;
  openDialog(confirm.dialog, {
    focus: confirm.dialog.querySelector("[data-close]"),
    returnTo: () => menuButton(key.id) ?? list.search,
  });
}

const ACTIONS = {
  async copy(key) {
    try {
      const { key: value } = await api("POST", `/api/v1/api-keys/${key.id}/reveal`);
      if (await copyText(value)) {
        notify(`Copied the key “${key.description}” to the clipboard.`);
      } else {
        showSecret(key, "Copy API key", "Your browser did not allow copying. Select the key and copy it yourself.", value);
      }
    } catch (error) {
      if (error.status !== 409) {
        notify(error.message, { tone: "error" });
        return;
      }
      // Hash-only mode (or a key sealed under another master key): only the mask is known.
      const copied = await copyText(key.masked_key);
      notify(`${error.message} ${copied ? "Copied" : "Could not copy"} the masked identifier ${key.masked_key} instead.`);
    }
  },

  edit(key) {
    resetKeyForm(edit.form, key);
    edit.current = key;
    openDialog(edit.dialog, {
      focus: edit.form.elements.description,
      returnTo: () => menuButton(key.id) ?? list.search,
    });
  },

  regenerate(key) {
    openRegenerate(key, {
      returnTo: () => menuButton(key.id) ?? list.search,
      done: async (regenerated, old) => {
        showSecret(key, "New API key value", `The new value of “${regenerated.description}”. ${old}`, regenerated.key);
        await load();
      },
    });
  },

  requests(key) {
    showRequests(key, () => menuButton(key.id) ?? list.search);
  },

  async toggle(key) {
    const disabled = !key.disabled;
    try {
      await api("PATCH", `/api/v1/api-keys/${key.id}`, { disabled });
      notify(disabled
        ? `Disabled “${key.description}”: its requests are refused (401) until you enable it.`
        : `Enabled “${key.description}”: it works again from its next request.`);
      await load();
      menuButton(key.id)?.focus();
    } catch (error) {
      notify(error.message, { tone: "error" });
    }
  },

  async endGrace(key) {
    try {
      await api("POST", `/api/v1/api-keys/${key.id}/end-grace`);
      notify(`The old value of “${key.description}” no longer works.`);
      await load();
      menuButton(key.id)?.focus();
    } catch (error) {
      notify(error.message, { tone: "error" });
    }
  },

  delete(key) {
    ask({
      key,
      title: `Delete “${key.description}”?`,
      text: `The key ${key.masked_key} is revoked for good. This cannot be undone.`,
      warning: "This is immediate: integrations using this key stop working (401) from their next request.",
      button: "Delete key",
      async run() {
        await api("DELETE", `/api/v1/api-keys/${key.id}`);
        closeDialog(confirm.dialog);
        notify(`Deleted “${key.description}”.`);
        await load();
      },
    });
  },
};

function showSecret(key, title, text, value) {
  $("secret-title").textContent = title;
  $("secret-text").textContent = text;
  $("secret-value").value = value;
  openDialog(secret.dialog, {
    focus: secret.dialog.querySelector("[data-copy]"),
    returnTo: () => menuButton(key.id) ?? list.search,
  });
}

list.filter.addEventListener("change", render);
list.sort.addEventListener("change", render);

let searchTimer;
list.search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    search = list.search.value.trim();
    load();
  }, SEARCH_DELAY_MS);
});

// Coming back to the tab refreshes "Last used" (written by the server within about a second).
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !document.querySelector("dialog[open]")) load();
});

load();
// Keys without their own limit show the default in effect: reload them when it changes.
initDefaultLimit({ changed: load });
