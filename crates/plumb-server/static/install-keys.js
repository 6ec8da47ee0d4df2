// Settings → Install keys: the live keys from GET /api/v1/install-keys (masked, with their
// group) and Revoke (DELETE /api/v1/install-keys/{id}) after confirmation.

import { api } from "./api.js";
import { ask } from "./confirm.js";
import { groupsWithPaths } from "./groups.js";
import { notify, showError } from "./notify.js";
import { timeElement } from "./time.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
let groups = new Map();

async function load() {
  try {
    const [{ data }, list] = await Promise.all([api("GET", "/api/v1/install-keys"), groupsWithPaths().catch(() => [])]);
    groups = new Map(list.map((group) => [group.id, group.label]));
    $("ikeys-body").replaceChildren(...data.map(row));
    $("ikeys-card").hidden = data.length === 0;
    $("ikeys-empty").hidden = data.length > 0;
    showError($("ikeys-error"), "");
  } catch (error) {
    showError($("ikeys-error"), `The install keys could not be loaded. ${error.message}`);
  } finally {
    $("ikeys-loading").hidden = true;
  }
}

function row(key) {
  const tr = $("ikey-row").content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  tr.dataset.id = key.id;
  field("masked_key").textContent = key.masked_key;
  field("group").textContent = key.group_id ? groups.get(key.group_id) ?? "A deleted group" : "No group";
  field("created").append(timeElement(key.created_at));
  const revoke = tr.querySelector('[data-action="revoke"]');
  revoke.textContent = "Revoke";
  revoke.setAttribute("aria-label", `Revoke install key ${key.masked_key}`);
  revoke.addEventListener("click", () =>
    ask({
      title: "Revoke install key?",
      text: `Install key ${key.masked_key} will enroll no more machines.`,
      warning: "Install commands holding it stop working. Devices already enrolled keep working.",
      action: "Revoke",
      returnTo: () => document.querySelector("#ikeys-body [data-action=revoke]") ?? document.querySelector(".page-header .button"),
      run: async () => {
        await api("DELETE", `/api/v1/install-keys/${encodeURIComponent(key.id)}`);
        notify(`Revoked install key ${key.masked_key}.`);
        await load();
      },
    }),
  );
  return tr;
}

load();
