// The webhook triggers of an automation (GET/POST/DELETE /api/v1/automations/{id}/webhooks):
// New trigger, with or without a required Authorization header, then its URL, its
// Authorization value (shown this once) and a ready curl example, each with Copy; per row,
// Copy URL, Copy curl and Delete.

import { api } from "./api.js";
import { ask } from "./confirm.js";
import { copyText } from "./copy.js";
import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { notify, showError } from "./notify.js";
import { timeElement } from "./time.js";

const $ = (id) => document.getElementById(id);
const AUTH_PLACEHOLDER = "<the Authorization value shown when the trigger was created>";

/** A curl command that calls `url`, with the Authorization header when `authorization`. */
export function curlExample(url, authorization) {
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const lines = [`curl -fsS -X POST ${quote(url)}`];
  if (authorization) lines.push(`  -H ${quote(`Authorization: ${authorization}`)}`);
  lines.push(`  -H 'Content-Type: application/json' -d '{}'`);
  return lines.join(" \\\n");
}

export function setupTriggers(automationId) {
  const base = `/api/v1/automations/${encodeURIComponent(automationId)}/webhooks`;
  const form = $("trigger-form");

  async function load() {
    try {
      const { data } = await api("GET", base);
      $("triggers-body").replaceChildren(...data.map(row));
      $("triggers-card").hidden = data.length === 0;
      $("triggers-empty").hidden = data.length > 0;
      showError($("triggers-error"), "");
    } catch (error) {
      showError($("triggers-error"), `The triggers could not be loaded. ${error.message}`);
    }
  }

  function row(trigger) {
    const tr = $("trigger-row").content.firstElementChild.cloneNode(true);
    tr.dataset.id = trigger.id;
    const field = (name) => tr.querySelector(`[data-field="${name}"]`);
    field("url").textContent = trigger.url ?? "Shown only when created";
    field("auth").textContent = trigger.requires_authorization_header ? "Required" : "Not required";
    field("created").append(timeElement(trigger.created_at));
    const copy = async (text, what) => {
      if (await copyText(text)) notify(`Copied the ${what} to the clipboard.`);
      else notify("Your browser did not allow copying.", { tone: "error" });
    };
    const copyUrl = tr.querySelector('[data-action="copy-url"]');
    const copyCurl = tr.querySelector('[data-action="copy-curl"]');
    copyUrl.hidden = copyCurl.hidden = !trigger.url;
    copyUrl.addEventListener("click", () => copy(trigger.url, "trigger URL"));
    copyCurl.addEventListener("click", () =>
      copy(curlExample(trigger.url, trigger.requires_authorization_header ? AUTH_PLACEHOLDER : null), "curl example"),
    );
    const remove = tr.querySelector('[data-action="delete"]');
    remove.setAttribute("aria-label", `Delete the trigger created ${field("created").textContent}`);
    remove.addEventListener("click", () =>
      ask({
        title: "Delete trigger?",
        text: "Calls to its URL will be refused from now on.",
        action: "Delete trigger",
        returnTo: () => $("new-trigger"),
        run: async () => {
          await api("DELETE", `${base}/${encodeURIComponent(trigger.id)}`);
          notify("Deleted the trigger.");
          await load();
        },
      }),
    );
    return tr;
  }

  $("new-trigger").addEventListener("click", () => {
    form.reset();
    showError(form.querySelector("[data-error]"), "");
    openDialog($("trigger-dialog"), { returnTo: $("new-trigger") });
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true, "Creating…");
    try {
      const created = await api("POST", base, { require_authorization: $("trigger-authorization").checked });
      closeDialog($("trigger-dialog"));
      $("trigger-url-value").value = created.url ?? "";
      $("trigger-auth-value").value = created.authorization ?? "";
      $("trigger-auth-field").hidden = !created.authorization;
      $("trigger-curl").value = curlExample(created.url, created.authorization);
      openDialog($("trigger-created"), { focus: $("trigger-url-value"), returnTo: $("new-trigger") });
      $("trigger-url-value").select();
      await load();
    } catch (error) {
      showError(form.querySelector("[data-error]"), error.message);
    } finally {
      setBusy(button, false);
    }
  });

  load();
}
