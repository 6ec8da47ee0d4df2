// Automations: the list from GET /api/v1/automations (keyset pages of 50 with "Load more"),
// each row linking to its editor, Run now, triggers and Runs at /automations/{id}.

import { api } from "./api.js";
import { showError } from "./notify.js";
import { timeElement } from "./time.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
let last = null;

async function load() {
  const more = $("automations-more");
  try {
    const query = last ? `?limit=50&starting_after=${encodeURIComponent(last)}` : "?limit=50";
    const page = await api("GET", `/api/v1/automations${query}`);
    $("automations-body").append(...page.data.map(row));
    last = page.data.at(-1)?.id ?? last;
    const any = $("automations-body").children.length > 0;
    $("automations-card").hidden = !any;
    $("automations-empty").hidden = any;
    more.hidden = !page.has_more;
    showError($("automations-error"), "");
  } catch (error) {
    showError($("automations-error"), `The automations could not be loaded. ${error.message}`);
  } finally {
    $("automations-loading").hidden = true;
  }
}

function row(automation) {
  const tr = $("automation-row").content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  const link = field("name");
  link.href = `/automations/${encodeURIComponent(automation.id)}`;
  link.textContent = automation.name;
  field("description").textContent = automation.description ?? "";
  field("target").textContent = automation.group_name ?? "Every device";
  const count = automation.steps.length;
  field("steps").textContent = `${count} ${count === 1 ? "step" : "steps"}`;
  field("updated").append(timeElement(automation.updated_at));
  return tr;
}

$("automations-more").addEventListener("click", () => load());
load();
