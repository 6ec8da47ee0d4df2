// Copy to the clipboard. The async Clipboard API only exists in secure contexts (https or
// localhost); self-hosters often start on plain http in a LAN, so fall back to a selection copy.

import { notify } from "./notify.js";

/** Copies `text`; resolves to whether the browser confirmed it. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied or unavailable: try the selection copy below.
    }
  }
  const focused = document.activeElement;
  // Inside a modal dialog everything outside it is inert, so the helper must live in the dialog.
  const host = focused?.closest?.("dialog[open]") ?? document.body;
  const area = document.createElement("textarea");
  area.value = text;
  area.readOnly = true;
  area.className = "offscreen";
  host.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  focused?.focus?.();
  return copied;
}

// "Copy" buttons next to a read-only field: <button data-copy="field-id">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field?.value) return;
  if (await copyText(field.value)) {
    button.textContent = "Copied";
    setTimeout(() => {
      button.textContent = "Copy";
    }, 2000);
    notify("Copied to the clipboard.");
  } else {
    field.focus();
    field.select();
    notify("Your browser did not allow copying. The text is selected: press Ctrl+C (or ⌘C) to copy it.", {
      tone: "error",
    });
  }
});
