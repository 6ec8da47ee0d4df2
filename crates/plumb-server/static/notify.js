// One polite live region per page (#toast) for short confirmations such as "Copied".

let timer;

/** Shows `message` for a few seconds and lets screen readers announce it. */
export function notify(message, { tone = "info" } = {}) {
  const toast = document.getElementById("toast");
  if (!toast) return;
  clearTimeout(timer);
  toast.classList.toggle("error", tone === "error");
  // Clearing first makes a repeated message count as a change, so it is announced again.
  toast.textContent = "";
  requestAnimationFrame(() => {
    toast.textContent = message;
  });
  timer = setTimeout(() => {
    toast.textContent = "";
  }, tone === "error" ? 10000 : 6000);
}

/** Shows or hides an alert element with a message. */
export function showError(element, message) {
  if (!element) return;
  element.textContent = message ?? "";
  element.hidden = !message;
}
