// Groups: the tree from GET /api/v1/groups (each group under its parent, indented), New group
// and Edit (name and parent: POST / PATCH /api/v1/groups) in one dialog, Delete after
// confirmation. Focus returns to the row's button, or to New group when the row is gone.

import { api } from "./api.js";
import { ask } from "./confirm.js";
import { closeDialog, openDialog, setBusy } from "./dialog.js";
import { groupsWithPaths } from "./groups.js";
import { notify, showError } from "./notify.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const dialog = $("group-dialog");
const form = $("group-form");
let groups = [];
let editing = null;

/** Groups in tree order: each parent followed by its children, with their depth. */
function tree(list) {
  const children = new Map();
  for (const group of list) {
    const key = list.some((other) => other.id === group.parent_id) ? group.parent_id : null;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(group);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const group of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ ...group, depth });
      walk(group.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

async function load() {
  try {
    groups = await groupsWithPaths();
    const rows = tree(groups).map(row);
    $("groups-body").replaceChildren(...rows);
    $("groups-card").hidden = rows.length === 0;
    $("groups-empty").hidden = rows.length > 0;
    showError($("groups-error"), "");
  } catch (error) {
    showError($("groups-error"), `The groups could not be loaded. ${error.message}`);
  } finally {
    $("groups-loading").hidden = true;
  }
}

function row(group) {
  const tr = $("group-row").content.firstElementChild.cloneNode(true);
  tr.dataset.id = group.id;
  const name = tr.querySelector('[data-field="name"]');
  name.textContent = group.name;
  name.dataset.depth = String(Math.min(group.depth, 6));
  const parent = groups.find((other) => other.id === group.parent_id);
  tr.querySelector('[data-field="parent"]').textContent = parent ? parent.label : "Top level";
  const edit = tr.querySelector('[data-action="edit"]');
  edit.setAttribute("aria-label", `Edit ${group.label}`);
  edit.addEventListener("click", () => openEditor(group));
  const remove = tr.querySelector('[data-action="delete"]');
  remove.setAttribute("aria-label", `Delete ${group.label}`);
  remove.addEventListener("click", () =>
    ask({
      title: "Delete group?",
      text: `“${group.label}” will be deleted.`,
      warning: "Its devices and subgroups move up to its parent group.",
      action: "Delete group",
      returnTo: () => $("new-group"),
      run: async () => {
        await api("DELETE", `/api/v1/groups/${encodeURIComponent(group.id)}`);
        notify(`Deleted the group “${group.label}”.`);
        await load();
      },
    }),
  );
  return tr;
}

/** Opens the dialog for a new group (`group` null) or to edit one. */
function openEditor(group) {
  editing = group;
  form.reset();
  $("group-title").textContent = group ? `Edit ${group.label}` : "New group";
  const parent = $("group-parent");
  parent.replaceChildren(new Option("None (top level)", ""));
  // A group cannot move under itself or one of its subgroups.
  const inside = (candidate) => group && (candidate.id === group.id || candidate.label.startsWith(`${group.label} › `));
  parent.append(...groups.filter((candidate) => !inside(candidate)).map((candidate) => new Option(candidate.label, candidate.id)));
  $("group-name").value = group?.name ?? "";
  parent.value = group?.parent_id ?? "";
  showError(form.querySelector("[data-error]"), "");
  const opener = document.activeElement;
  openDialog(dialog, {
    focus: $("group-name"),
    returnTo: () => (opener?.isConnected ? opener : document.querySelector(`tr[data-id="${CSS.escape(group?.id ?? "")}"] [data-action="edit"]`) ?? $("new-group")),
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  const name = $("group-name").value.trim();
  const parentId = $("group-parent").value || null;
  if (!name) {
    showError(form.querySelector("[data-error]"), "Enter a name for the group.");
    $("group-name").focus();
    return;
  }
  setBusy(button, true, "Saving…");
  try {
    if (editing) {
      const change = {};
      if (name !== editing.name) change.name = name;
      if (parentId !== (editing.parent_id ?? null)) change.parent_id = parentId;
      await api("PATCH", `/api/v1/groups/${encodeURIComponent(editing.id)}`, change);
      notify(`Saved the group “${name}”.`);
    } else {
      await api("POST", "/api/v1/groups", parentId ? { name, parent_id: parentId } : { name });
      notify(`Created the group “${name}”.`);
    }
    await load();
    closeDialog(dialog);
  } catch (error) {
    showError(form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(button, false);
  }
});

$("new-group").addEventListener("click", () => openEditor(null));
load();
