// A device's custom fields (GET /api/v1/devices/{id}/custom-fields): each value with where it
// comes from (this device, a group, the organization). Edit sets the device's own value
// (PUT /api/v1/custom-fields/{id}/value); "Use the inherited value" clears it, so the group's
// or the organization's value applies again. Focus returns to the row's Edit button.

import { api } from "./api.js";
import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { notify, showError } from "./notify.js";

const $ = (id) => document.getElementById(id);

function origin(value) {
  switch (value.source) {
    case "device":
      return "This device";
    case "group":
      return `Group ${value.source_group_name}`;
    case "organization":
      return "Organization";
    default:
      return "Not set";
  }
}

export function mountFields(deviceId) {
  const dialog = $("field-dialog");
  const form = $("field-form");
  const problem = form.querySelector("[data-error]");
  let editing = null;

  async function load() {
    try {
      const { data } = await api("GET", `/api/v1/devices/${encodeURIComponent(deviceId)}/custom-fields`);
      $("fields-body").replaceChildren(...data.map(row));
      $("fields-card").hidden = data.length === 0;
      $("fields-empty").hidden = data.length > 0;
      showError($("fields-error"), "");
    } catch (error) {
      showError($("fields-error"), `The custom fields could not be loaded. ${error.message}`);
    }
  }

  function row(value) {
    const tr = $("field-row").content.firstElementChild.cloneNode(true);
    tr.dataset.id = value.field.id;
    tr.querySelector('[data-field="name"]').textContent = value.field.name;
    const shown = tr.querySelector('[data-field="value"]');
    if (value.value === null) {
      shown.textContent = "--";
      shown.className = "never";
    } else {
      shown.textContent = value.value;
    }
    tr.querySelector('[data-field="source"]').textContent = origin(value);
    const edit = tr.querySelector('[data-action="edit"]');
    edit.setAttribute("aria-label", `Edit ${value.field.name}`);
    edit.addEventListener("click", () => open(value));
    return tr;
  }

  function open(value) {
    editing = value;
    showError(problem, "");
    $("field-title").textContent = `Edit ${value.field.name}`;
    const own = value.source === "device";
    $("field-value").value = own ? value.value : "";
    $("field-inherited").textContent = own
      ? "This device has its own value."
      : value.value === null
        ? "No value applies to this device yet."
        : `Without its own value, this device uses “${value.value}” from ${origin(value).toLowerCase().replace(/^group/, "the group")}.`;
    $("field-clear").hidden = !own;
    openDialog(dialog, {
      focus: $("field-value"),
      returnTo: () => document.querySelector(`tr[data-id="${CSS.escape(value.field.id)}"] [data-action="edit"]`),
    });
  }

  async function save(button, next) {
    setBusy(button, true, "Saving…");
    try {
      await api("PUT", `/api/v1/custom-fields/${encodeURIComponent(editing.field.id)}/value`, {
        assigned_to_id: deviceId,
        value: next,
      });
      await load();
      closeDialog(dialog);
      notify(next === null ? `${editing.field.name} now uses the inherited value.` : `Saved ${editing.field.name}.`);
    } catch (error) {
      showError(problem, error.message);
    } finally {
      setBusy(button, false);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("field-value").value;
    if (!value.trim()) {
      showError(problem, "Enter a value, or use the inherited value.");
      $("field-value").focus();
      return;
    }
    save(form.querySelector('button[type="submit"]'), value);
  });
  $("field-clear").addEventListener("click", () => save($("field-clear"), null));

  load();
}
