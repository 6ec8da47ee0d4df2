// Menu buttons (the three-dot "Actions for ..." menus), after the WAI-ARIA menu button pattern:
// Enter, Space or ArrowDown opens and focuses the first item, ArrowUp the last; arrows, Home and
// End move; Escape closes and returns to the button; Tab or a click elsewhere closes.

let current = null;
let count = 0;

/** Wires `button` to `menu`; `onSelect(action)` gets the chosen item's data-action. */
export function initMenu(button, menu, onSelect) {
  count += 1;
  menu.id ||= `menu-${count}`;
  button.setAttribute("aria-controls", menu.id);

  button.addEventListener("click", () => {
    if (current?.menu === menu) close({ refocus: true });
    else open(button, menu, "first");
  });
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(button, menu, event.key === "ArrowDown" ? "first" : "last");
    }
  });
  menu.addEventListener("keydown", (event) => {
    const items = [...menu.querySelectorAll('[role="menuitem"]:not([hidden])')];
    const index = items.indexOf(document.activeElement);
    const moves = {
      ArrowDown: (index + 1) % items.length,
      ArrowUp: (index - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      items[moves[event.key]].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close({ refocus: true });
    } else if (event.key === "Tab") {
      close({ refocus: false });
    }
  });
  menu.addEventListener("click", (event) => {
    const item = event.target.closest('[role="menuitem"]');
    if (!item) return;
    // Focus goes back to the button first, so a dialog the action opens returns there too.
    close({ refocus: true });
    onSelect(item.dataset.action);
  });
}

function open(button, menu, which) {
  if (current) close({ refocus: false });
  menu.hidden = false;
  button.setAttribute("aria-expanded", "true");
  current = { button, menu };
  const items = menu.querySelectorAll('[role="menuitem"]:not([hidden])');
  items[which === "first" ? 0 : items.length - 1]?.focus();
}

function close({ refocus }) {
  if (!current) return;
  const { button, menu } = current;
  current = null;
  menu.hidden = true;
  button.setAttribute("aria-expanded", "false");
  if (refocus) button.focus();
}

document.addEventListener("click", (event) => {
  if (current && !current.menu.parentElement.contains(event.target)) close({ refocus: false });
});
