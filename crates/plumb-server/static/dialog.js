// Modal dialogs on the native <dialog> element: showModal() makes the rest of the page inert and
// closes on Escape; on top of that we keep Tab inside the dialog (the browser would otherwise
// let it wander to its own toolbar) and return focus to whatever opened the dialog.

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type='hidden'])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

const returnTargets = new WeakMap();
const forgetters = new WeakMap();

/** The elements Tab can reach inside `root`, in order (hidden ones and unchecked radios skipped). */
export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter((element) => {
    if (element.closest("[hidden]") || element.getClientRects().length === 0) return false;
    if (element.type === "radio" && !element.checked) {
      const group = root.querySelectorAll(`input[type="radio"][name="${element.name}"]`);
      return ![...group].some((radio) => radio.checked);
    }
    return true;
  });
}

/**
 * Opens `dialog` modally and focuses `focus` (default: its first focusable element). On close,
 * focus goes back to `returnTo` (an element, or a function giving one when the opener may have
 * been replaced meanwhile), by default the element focused when it opened.
 */
export function openDialog(dialog, { focus, returnTo } = {}) {
  const opener = document.activeElement;
  returnTargets.set(dialog, returnTo ?? opener);
  if (!dialog.open) dialog.showModal();
  (focus ?? focusables(dialog)[0])?.focus();
}

/** Closes `dialog` and returns focus at once (the close event comes a task later). */
export function closeDialog(dialog) {
  if (dialog.open) dialog.close();
  for (const forget of forgetters.get(dialog) ?? []) forget();
  returnFocus(dialog);
}

/**
 * Runs `forget` as `dialog` closes, whichever way: at once through `closeDialog` (Done, Cancel,
 * a saved form), on the `close` event otherwise (Escape). For what must not linger in the page
 * once its dialog is gone, such as a key shown once.
 */
export function forgetOnClose(dialog, forget) {
  forgetters.set(dialog, [...(forgetters.get(dialog) ?? []), forget]);
  dialog.addEventListener("close", forget);
}

/** Marks a submit button busy (disabled, with a working label) or restores it. */
export function setBusy(button, busy, label) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = label;
    button.disabled = true;
  } else {
    button.textContent = button.dataset.label ?? button.textContent;
    button.disabled = false;
  }
}

function returnFocus(dialog) {
  // Another dialog opened in the meantime keeps the focus.
  if (document.querySelector("dialog[open]")) return;
  let target = returnTargets.get(dialog);
  // Once only: the close event that follows `closeDialog` a task later must not pull focus
  // back from wherever the person has moved it since (a row menu, say).
  returnTargets.delete(dialog);
  if (typeof target === "function") target = target();
  if (target?.isConnected && document.activeElement !== target) target.focus();
}

function trapTab(event) {
  if (event.key !== "Tab") return;
  const items = focusables(event.currentTarget);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("keydown", trapTab);
  dialog.addEventListener("close", () => returnFocus(dialog));
  dialog.addEventListener("click", (event) => {
    if (event.target.closest("[data-close]")) closeDialog(dialog);
  });
}
