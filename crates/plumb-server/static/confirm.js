// The shared confirmation dialog (templates/_partials/dialogs.html `confirm`): asks before an
// irreversible change, runs it, shows its error in the dialog, and returns focus.

import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { showError } from "./notify.js";

const dialog = document.getElementById("confirm-dialog");
const button = document.getElementById("confirm-button");
let pending = null;

button?.addEventListener("click", async () => {
  if (!pending) return;
  const problem = dialog.querySelector("[data-error]");
  setBusy(button, true, "Working…");
  try {
    await pending();
    closeDialog(dialog);
  } catch (error) {
    showError(problem, error.message);
  } finally {
    setBusy(button, false);
  }
});

/** Asks `title`/`text`/`warning`; `run` does the change; focus returns to `returnTo`. */
export function ask({ title, text, warning = "", action, run, returnTo }) {
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-warning").textContent = warning;
  button.textContent = action;
  showError(dialog.querySelector("[data-error]"), "");
  pending = run;
  openDialog(dialog, { focus: dialog.querySelector("[data-close]"), returnTo });
}
