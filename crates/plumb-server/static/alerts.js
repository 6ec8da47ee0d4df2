// Alerts: active ones first (every page of GET /api/v1/alerts?status=active), each with
// Resolve (POST /api/v1/alerts/{id}/resolve), then resolved ones, 50 at a time. After a
// resolve, focus moves to the next Resolve button (or the Active heading). The lists reload
// every 5 s while focus is outside them.

import { api } from "./api.js";
import { notify, showError } from "./notify.js";
import { timeElement } from "./time.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const SEVERITY = { emergency: "Emergency", critical: "Critical", warning: "Warning", information: "Information" };
const resolved = [];
let resolvedMore = false;

async function activeAlerts() {
  const all = [];
  let after = "";
  for (;;) {
    const page = await api("GET", `/api/v1/alerts?status=active&limit=100${after}`);
    all.push(...page.data);
    if (!page.has_more || all.length >= 1000) return all;
    after = `&starting_after=${encodeURIComponent(page.data.at(-1).id)}`;
  }
}

function resolvedPage(more = false) {
  const after = more && resolved.length ? `&starting_after=${encodeURIComponent(resolved.at(-1).id)}` : "";
  return api("GET", `/api/v1/alerts?status=resolved&limit=50${after}`);
}

async function loadResolved(more = false) {
  showResolved(await resolvedPage(more), more);
}

function showResolved(page, more) {
  if (!more) resolved.length = 0;
  resolved.push(...page.data);
  resolvedMore = page.has_more;
  $("resolved-body").replaceChildren(...resolved.map((alert) => row(alert, false)));
  $("resolved-card").hidden = resolved.length === 0;
  $("resolved-empty").hidden = resolved.length > 0;
  $("resolved-more").hidden = !resolvedMore;
}

async function load({ focusAfter } = {}) {
  try {
    // Both lists are fetched first and shown together, so a resolved alert never
    // disappears from Active before it appears under Resolved.
    const [active, resolvedFirst] = await Promise.all([activeAlerts(), resolvedPage()]);
    // Critical first, then the newest.
    const rank = (alert) => ["emergency", "critical", "warning"].indexOf(alert.severity) & 7;
    active.sort((a, b) => rank(a) - rank(b) || b.started_at.localeCompare(a.started_at));
    $("active-body").replaceChildren(...active.map((alert) => row(alert, true)));
    $("active-card").hidden = active.length === 0;
    $("active-empty").hidden = active.length > 0;
    showResolved(resolvedFirst, false);
    showError($("alerts-error"), "");
    if (focusAfter !== undefined) {
      const buttons = [...document.querySelectorAll("#active-body [data-action=resolve]")];
      const next = buttons[Math.min(focusAfter, buttons.length - 1)];
      if (next) next.focus();
      else {
        $("active-heading").tabIndex = -1;
        $("active-heading").focus();
      }
    }
  } catch (error) {
    showError($("alerts-error"), `The alerts could not be loaded. ${error.message}`);
  } finally {
    $("alerts-loading").hidden = true;
  }
}

function row(alert, active) {
  const tr = $("alert-row").content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  tr.dataset.id = alert.id;
  const severity = field("severity");
  severity.textContent = SEVERITY[alert.severity] ?? alert.severity;
  severity.classList.add(alert.severity);
  field("name").textContent = alert.name;
  if (alert.description) field("description").textContent = alert.description;
  else field("description").remove();
  const device = field("device");
  device.textContent = alert.device_hostname ?? "A deleted device";
  device.href = `/devices/${encodeURIComponent(alert.device_id)}`;
  field("started").append(timeElement(alert.started_at));
  const end = field("end");
  if (active) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.dataset.action = "resolve";
    button.textContent = "Resolve";
    button.setAttribute("aria-label", `Resolve “${alert.name}” on ${alert.device_hostname ?? "a deleted device"}`);
    button.addEventListener("click", async () => {
      const index = [...document.querySelectorAll("#active-body [data-action=resolve]")].indexOf(button);
      button.disabled = true;
      try {
        await api("POST", `/api/v1/alerts/${encodeURIComponent(alert.id)}/resolve`);
        notify(`Resolved “${alert.name}”.`);
        await load({ focusAfter: index });
      } catch (error) {
        button.disabled = false;
        notify(`The alert could not be resolved. ${error.message}`, { tone: "error" });
      }
    });
    end.append(button);
  } else {
    end.dataset.label = "Resolved";
    end.classList.remove("actions");
    end.append(timeElement(alert.resolved_at));
  }
  return tr;
}

$("resolved-more").addEventListener("click", () => loadResolved(true));
load();
// New alerts show up on their own, unless the person is working in the lists right now.
setInterval(() => {
  if (!document.hidden && !document.activeElement?.closest("table, .more")) load();
}, 5000);
