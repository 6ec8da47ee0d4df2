// Settings → API keys → Regenerate: a new value, with an optional grace period (none, 1 hour,
// 24 hours, 7 days) during which the old value keeps working.

import { api } from "./api.js";
import { openDialog, closeDialog, setBusy } from "./dialog.js";
import { showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
const regenerate = { dialog: $("regenerate-dialog"), form: $("regenerate-form") };
const GRACE_TEXT = { 3600: "1 hour", 86400: "24 hours", 604800: "7 days" };
let done = null;

function describeGrace() {
  const seconds = Number(regenerate.form.elements.grace.value);
  $("regenerate-warning").textContent = seconds === 0
    ? "This is immediate: integrations using the current value stop working (401) from their next request until they get the new one."
    : `The current value keeps working for ${GRACE_TEXT[seconds]}, then stops working (401). Update your integrations before then; you can end the grace period early from the key's menu.`;
}

/** Opens the dialog for `key`; `options.done(regenerated, oldValueSentence)` runs after. */
export function openRegenerate(key, options) {
  $("regenerate-title").textContent = `Regenerate “${key.description}”?`;
  $("regenerate-text").textContent = `plumb replaces the value of ${key.masked_key} with a new one. Its description, access level and limits stay the same.`;
  regenerate.form.elements.grace.value = "0";
  regenerate.current = key;
  done = options.done;
  describeGrace();
  showError(regenerate.form.querySelector("[data-error]"), "");
  openDialog(regenerate.dialog, { focus: regenerate.form.elements.grace, returnTo: options.returnTo });
}

regenerate.form.elements.grace.addEventListener("change", describeGrace);
regenerate.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = regenerate.current;
  const grace = Number(regenerate.form.elements.grace.value);
  const submit = regenerate.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Regenerating…");
  try {
    const regenerated = await api("POST", `/api/v1/api-keys/${key.id}/regenerate`, { grace_seconds: grace });
    closeDialog(regenerate.dialog);
    const old = grace === 0
      ? "The old one no longer works."
      : `The old one works until ${new Date(regenerated.previous_valid_until).toLocaleString()}.`;
    await done?.(regenerated, old);
  } catch (error) {
    showError(regenerate.form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});
