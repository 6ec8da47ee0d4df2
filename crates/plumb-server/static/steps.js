// The ordered steps of the automation editor: each a fieldset (name, shell, time limit,
// script) with Move up, Move down and Remove; focus follows the moved step, and after a
// removal goes to the next step (or to "Add step").

const list = document.getElementById("steps");
const template = document.getElementById("step-template");
let counter = 0;

/** Adds a step (`step` from the API, or a blank one) and returns its element. */
export function addStep(step = null) {
  const item = template.content.firstElementChild.cloneNode(true);
  counter += 1;
  for (const input of item.querySelectorAll("[data-input]")) {
    const id = `step-${counter}-${input.dataset.input}`;
    input.id = id;
    item.querySelector(`[data-for="${input.dataset.input}"]`).htmlFor = id;
  }
  if (step) {
    input(item, "name").value = step.name;
    input(item, "shell").value = step.shell;
    input(item, "timeout").value = String(step.timeout_seconds);
    input(item, "script").value = step.script;
  }
  item.querySelector('[data-action="up"]').addEventListener("click", () => move(item, -1));
  item.querySelector('[data-action="down"]').addEventListener("click", () => move(item, 1));
  item.querySelector('[data-action="remove"]').addEventListener("click", () => remove(item));
  list.append(item);
  renumber();
  return item;
}

/** The steps as the API takes them. */
export function readSteps() {
  return [...list.children].map((item) => ({
    name: input(item, "name").value.trim(),
    shell: input(item, "shell").value,
    script: input(item, "script").value,
    timeout_seconds: Number(input(item, "timeout").value),
  }));
}

/** The first step whose name or script is empty, with that field, to point the person at. */
export function missingField() {
  for (const item of list.children) {
    for (const name of ["name", "script"]) {
      const field = input(item, name);
      if (!field.value.trim()) return field;
    }
  }
  return null;
}

/** Replaces every step. */
export function setSteps(steps) {
  list.replaceChildren();
  for (const step of steps) addStep(step);
}

function input(item, name) {
  return item.querySelector(`[data-input="${name}"]`);
}

function move(item, by) {
  const target = by < 0 ? item.previousElementSibling : item.nextElementSibling;
  if (!target) return;
  if (by < 0) target.before(item);
  else target.after(item);
  renumber();
  const button = item.querySelector(`[data-action="${by < 0 ? "up" : "down"}"]`);
  (button.disabled ? item.querySelector(`[data-action="${by < 0 ? "down" : "up"}"]`) : button).focus();
}

function remove(item) {
  const next = item.nextElementSibling ?? item.previousElementSibling;
  item.remove();
  renumber();
  (next ? input(next, "name") : document.getElementById("add-step")).focus();
}

function renumber() {
  const items = [...list.children];
  items.forEach((item, index) => {
    const number = index + 1;
    item.querySelector('[data-field="legend"]').textContent = `Step ${number}`;
    const label = (action, text) => {
      const button = item.querySelector(`[data-action="${action}"]`);
      button.setAttribute("aria-label", `${text} step ${number}`);
      return button;
    };
    label("up", "Move up").disabled = index === 0;
    label("down", "Move down").disabled = index === items.length - 1;
    label("remove", "Remove").disabled = items.length === 1;
  });
}
