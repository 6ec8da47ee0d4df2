// Settings → API keys → Default rate limit: the requests per minute of every key without its
// own limit (GET/PATCH /api/v1/api-key-settings). Empty means no limit. A change applies from
// every key's next request, on every node.

import { api } from "./api.js";
import { openDialog, closeDialog, setBusy } from "./dialog.js";
import { notify, showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
const view = {
  text: $("default-limit-text"),
  button: $("default-limit"),
  dialog: $("limit-dialog"),
  form: $("limit-form"),
  problem: $("limit-rate-error"),
};
let current = null;
let changed = null;

function describe(limit) {
  return limit === null ? "no limit" : `${limit.toLocaleString()} requests per minute`;
}

function show(settings) {
  current = settings.rate_limit_per_minute;
  view.text.textContent = describe(current);
}

/** The entered limit: `null` for empty, a whole number of at least 1, or `undefined` if invalid. */
function entered() {
  const text = view.form.elements.rate_limit.value.trim();
  if (text === "") return null;
  const limit = Number(text);
  return Number.isInteger(limit) && limit >= 1 ? limit : undefined;
}

/** Shows the organization's default; `options.changed()` runs after it was changed. */
export async function initDefaultLimit(options) {
  changed = options.changed;
  try {
    show(await api("GET", "/api/v1/api-key-settings"));
  } catch (error) {
    view.text.textContent = "unknown";
    notify(`The default rate limit could not be loaded. ${error.message}`, { tone: "error" });
  }
}

view.button.addEventListener("click", () => {
  view.form.elements.rate_limit.value = current ?? "";
  view.problem.hidden = true;
  showError(view.form.querySelector("[data-error]"), "");
  openDialog(view.dialog, { focus: view.form.elements.rate_limit, returnTo: view.button });
});

view.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const limit = entered();
  const input = view.form.elements.rate_limit;
  if (limit === undefined) {
    view.problem.textContent = "Enter a whole number of requests per minute (1 or more), or leave it empty for no limit.";
    view.problem.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  view.problem.hidden = true;
  input.removeAttribute("aria-invalid");
  const submit = view.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Saving…");
  try {
    show(await api("PATCH", "/api/v1/api-key-settings", { rate_limit_per_minute: limit }));
    closeDialog(view.dialog);
    notify(`Keys without their own limit now allow ${describe(current)}, from their next request.`);
    await changed?.();
  } catch (error) {
    showError(view.form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});
