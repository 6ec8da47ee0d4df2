// Devices → Add devices (people with Settings access): pick a group, create an install key
// (POST /api/v1/install-keys) and show its one-line "Install command" with Copy. The command
// holds the key, so it lives only in this dialog and is cleared when the dialog closes.

import { api } from "./api.js";
import { forgetOnClose, openDialog, setBusy } from "./dialog.js";
import { showError } from "./notify.js";
import "./copy.js";

const $ = (id) => document.getElementById(id);
const dialog = $("add-dialog");
const form = $("add-form");
const result = $("add-result");
const command = $("install-command-value");
const waiting = $("add-waiting");

/** Opens the dialog on its first step. */
export function openAddDevices() {
  form.reset();
  form.hidden = false;
  result.hidden = true;
  showError(form.querySelector("[data-error]"), "");
  openDialog(dialog, { focus: $("add-group") });
}

/** Called by the list when devices arrive while the dialog shows a command. */
export function devicesArrived(devices) {
  if (!dialog?.open || result.hidden || devices.length === 0) return;
  const names = devices.map((device) => device.hostname).join(", ");
  waiting.textContent = `${names} ${devices.length === 1 ? "has" : "have"} enrolled and ${devices.length === 1 ? "is" : "are"} in the list.`;
}

if (dialog) {
  $("add-devices").addEventListener("click", openAddDevices);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const group = $("add-group").value;
    setBusy(button, true, "Creating…");
    try {
      const created = await api("POST", "/api/v1/install-keys", group ? { group_id: group } : {});
      command.value = created.install_command;
      waiting.textContent = "Waiting for the first device to enroll…";
      form.hidden = true;
      result.hidden = false;
      command.focus();
      command.select();
    } catch (error) {
      showError(form.querySelector("[data-error]"), error.message);
    } finally {
      setBusy(button, false);
    }
  });
  forgetOnClose(dialog, () => {
    command.value = "";
  });
  // Settings → Install keys links here with ?add to open the dialog at once.
  if (new URLSearchParams(location.search).has("add")) openAddDevices();
}
