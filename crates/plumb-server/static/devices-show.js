// One device: the server renders the whole page; this shows its times in the browser's locale
// and time zone (the UTC time stays on hover), names the tab after the device, edits it, and
// shows its custom fields (device-fields.js) and Runs (runs.js).

import { api } from "./api.js";
import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { fillGroupSelects, groupsWithPaths } from "./groups.js";
import { notify, showError } from "./notify.js";
import { mountFields } from "./device-fields.js";
import { mountRuns } from "./runs.js";
import { timeElement } from "./time.js";
import "./shell.js";

for (const element of document.querySelectorAll("time[data-local]")) {
  element.replaceWith(timeElement(element.dateTime));
}

const name = document.getElementById("device-name")?.textContent;
if (name) document.title = `${name} · plumb`;

// Edit: nickname, notes and group (PATCH /api/v1/devices/{id}); the page reloads to show them.
const id = decodeURIComponent(location.pathname.split("/").pop());

// Custom fields: each value with where it comes from; the device's own ones editable.
mountFields(id);

// Runs (people with Settings access): this device's, live.
const runs = document.getElementById("runs");
if (runs) {
  runs.dataset.runs = `/api/v1/devices/${encodeURIComponent(id)}/runs`;
  mountRuns(runs);
}
const dialog = document.getElementById("device-dialog");
const form = document.getElementById("device-form");
const editButton = document.getElementById("edit-device");

editButton?.addEventListener("click", async () => {
  const problem = form.querySelector("[data-error]");
  showError(problem, "");
  try {
    const [device, groups] = await Promise.all([api("GET", `/api/v1/devices/${encodeURIComponent(id)}`), groupsWithPaths()]);
    const select = document.getElementById("device-group-edit");
    select.replaceChildren(new Option("No group", ""));
    fillGroupSelects(groups, select);
    document.getElementById("device-nickname").value = device.nickname ?? "";
    document.getElementById("device-notes").value = device.notes ?? "";
    select.value = device.group_id ?? "";
    openDialog(dialog, { focus: document.getElementById("device-nickname"), returnTo: editButton });
  } catch (error) {
    notify(`The device could not be loaded. ${error.message}`, { tone: "error" });
  }
});

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  const text = (field) => document.getElementById(field).value.trim() || null;
  setBusy(button, true, "Saving…");
  try {
    await api("PATCH", `/api/v1/devices/${encodeURIComponent(id)}`, {
      nickname: text("device-nickname"),
      notes: text("device-notes"),
      group_id: document.getElementById("device-group-edit").value || null,
    });
    closeDialog(dialog);
    location.reload();
  } catch (error) {
    showError(form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(button, false);
  }
});
