// Run now: a dialog listing the devices the automation runs on (its group and subgroups, or
// the whole organization; found by hostname or nickname through GET /api/v1/devices), with
// "All listed devices"; POST /api/v1/automations/{id}/runs starts it on the checked ones.

import { api } from "./api.js";
import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { notify, showError } from "./notify.js";

const $ = (id) => document.getElementById(id);

/** The ids of `groupId` and every group under it. */
function subtree(groups, groupId) {
  const ids = new Set([groupId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const group of groups) {
      if (group.parent_id && ids.has(group.parent_id) && !ids.has(group.id)) {
        ids.add(group.id);
        grew = true;
      }
    }
  }
  return ids;
}

export function setupRunNow({ id, automation, groups, started }) {
  const dialog = $("run-dialog");
  const form = $("run-form");
  const problem = form.querySelector("[data-error]");
  let searchTimer;
  let request = 0;

  async function list() {
    const mine = ++request;
    const record = automation();
    const search = $("run-search").value.trim();
    const query = new URLSearchParams({ limit: "100" });
    if (search) query.set("search", search);
    try {
      const page = await api("GET", `/api/v1/devices?${query}`);
      if (mine !== request) return;
      const inside = record.group_id ? subtree(groups(), record.group_id) : null;
      const devices = page.data.filter((device) => !inside || inside.has(device.group_id));
      $("run-devices").replaceChildren(...devices.map(option));
      $("run-none").hidden = devices.length > 0;
      $("run-all").checked = false;
      $("run-all").disabled = devices.length === 0;
    } catch (error) {
      showError(problem, `The devices could not be loaded. ${error.message}`);
    }
  }

  function option(device) {
    const wrap = document.createElement("div");
    wrap.className = "checkbox";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `run-device-${device.id}`;
    box.value = device.id;
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = device.nickname ? `${device.hostname} (${device.nickname})` : device.hostname;
    wrap.append(box, label);
    return wrap;
  }

  $("run-now").addEventListener("click", async () => {
    const record = automation();
    if (!record) return;
    form.reset();
    showError(problem, "");
    $("run-title").textContent = `Run “${record.name}” now`;
    $("run-target").textContent = record.group_name
      ? `It runs on the devices of ${record.group_name} and its subgroups.`
      : "It runs on every device of the organization.";
    $("run-devices").replaceChildren();
    openDialog(dialog, { focus: $("run-search"), returnTo: $("run-now") });
    await list();
  });

  $("run-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(list, 250);
  });

  $("run-all").addEventListener("change", () => {
    for (const box of $("run-devices").querySelectorAll("input")) box.checked = $("run-all").checked;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...$("run-devices").querySelectorAll("input:checked")].map((box) => box.value);
    if (chosen.length === 0) {
      showError(problem, "Choose at least one device.");
      ($("run-devices").querySelector("input") ?? $("run-search")).focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true, "Starting…");
    try {
      const { runs } = await api("POST", `/api/v1/automations/${encodeURIComponent(id)}/runs`, { device_ids: chosen });
      closeDialog(dialog);
      notify(`Started ${runs.length} ${runs.length === 1 ? "run" : "runs"}. Each device picks its run up at its next check-in.`);
      started();
    } catch (error) {
      showError(problem, error.message);
    } finally {
      setBusy(button, false);
    }
  });
}
