// The automation editor (/automations/new and /automations/{id}): name, description, target
// group and ordered steps, saved with POST or PATCH /api/v1/automations; for an existing
// automation also Delete, its webhook triggers (triggers.js), Run now (run-now.js) and its
// Runs view (runs.js).

import { api } from "./api.js";
import { ask } from "./confirm.js";
import { setBusy } from "./dialog.js";
import { fillGroupSelects, groupsWithPaths } from "./groups.js";
import { notify, showError } from "./notify.js";
import { setupRunNow } from "./run-now.js";
import { mountRuns } from "./runs.js";
import { addStep, missingField, readSteps, setSteps } from "./steps.js";
import { setupTriggers } from "./triggers.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const id = $("automation").dataset.id;
const form = $("automation-form");
const problem = form.querySelector("[data-error]");
let automation = null;
let groups = [];

async function load() {
  try {
    groups = await groupsWithPaths();
    fillGroupSelects(groups, $("automation-group"));
    if (!id) {
      addStep();
      $("automation-name").focus();
      return;
    }
    automation = await api("GET", `/api/v1/automations/${encodeURIComponent(id)}`);
    show(automation);
  } catch (error) {
    showError($("automation-error"), `The automation could not be loaded. ${error.message}`);
  }
}

function show(record) {
  $("automation-heading").textContent = record.name;
  document.title = `${record.name} · plumb`;
  $("automation-name").value = record.name;
  $("automation-description").value = record.description ?? "";
  $("automation-group").value = record.group_id ?? "";
  setSteps(record.steps);
}

$("add-step").addEventListener("click", () => {
  const item = addStep();
  item.querySelector('[data-input="name"]').focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("save-automation");
  const name = $("automation-name").value.trim();
  if (!name) {
    showError(problem, "Enter a name for the automation.");
    $("automation-name").focus();
    return;
  }
  const missing = missingField();
  if (missing) {
    const label = form.querySelector(`label[for="${missing.id}"]`).textContent;
    const legend = missing.closest("fieldset").querySelector("legend").textContent;
    showError(problem, `${legend}: enter its ${label.toLowerCase()}.`);
    missing.focus();
    return;
  }
  const body = {
    name,
    description: $("automation-description").value.trim() || null,
    group_id: $("automation-group").value || null,
    steps: readSteps(),
  };
  setBusy(button, true, "Saving…");
  try {
    if (!automation) {
      const created = await api("POST", "/api/v1/automations", body);
      location.assign(`/automations/${encodeURIComponent(created.id)}`);
      return;
    }
    automation = await api("PATCH", `/api/v1/automations/${encodeURIComponent(id)}`, body);
    show(automation);
    showError(problem, "");
    notify(`Saved the automation “${automation.name}”.`);
  } catch (error) {
    showError(problem, error.message);
  } finally {
    setBusy(button, false);
  }
});

$("delete-automation")?.addEventListener("click", () =>
  ask({
    title: "Delete automation?",
    text: `“${automation?.name ?? ""}” and its webhook triggers will be deleted.`,
    warning: "Its runs stay in the devices' Runs; runs not picked up yet are canceled.",
    action: "Delete automation",
    returnTo: () => $("delete-automation"),
    run: async () => {
      await api("DELETE", `/api/v1/automations/${encodeURIComponent(id)}`);
      location.assign("/automations");
    },
  }),
);

await load();
if (id) {
  const runs = mountRuns($("runs"));
  setupTriggers(id);
  setupRunNow({ id, automation: () => automation, groups: () => groups, started: () => runs.refresh() });
}
