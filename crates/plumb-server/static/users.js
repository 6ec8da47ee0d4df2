// Settings → Users (administrators): list (GET /api/v1/users), add (POST, showing the one-time
// password link when no password was given), change role and Settings access, disable and
// enable (PATCH /api/v1/users/{id}).

import { api } from "./api.js";
import { timeElement } from "./time.js";
import { notify, showError } from "./notify.js";
import { openDialog, closeDialog, forgetOnClose, setBusy } from "./dialog.js";
import { initMenu } from "./menu.js";
import "./shell.js";

const $ = (id) => document.getElementById(id);
const me = document.querySelector("[data-me]").dataset.me;
const ROLE = { admin: "Administrator", technician: "Technician" };

const list = {
  body: $("users-body"),
  card: $("users-card"),
  loading: $("users-loading"),
  error: $("users-error"),
  row: $("user-row"),
};
const add = { dialog: $("add-dialog"), form: $("add-form"), result: $("add-result") };
const edit = { dialog: $("edit-dialog"), form: $("edit-form") };
const confirm = { dialog: $("confirm-dialog"), button: $("confirm-button") };
let pendingConfirm = null;

async function load() {
  try {
    const { data } = await api("GET", "/api/v1/users");
    showError(list.error, "");
    const focusedId = document.activeElement?.closest?.("#users-body tr")?.dataset.id;
    list.body.replaceChildren(...data.map(row));
    list.card.hidden = false;
    if (focusedId) (menuButton(focusedId) ?? $("add-user")).focus();
  } catch (error) {
    showError(list.error, `The users could not be loaded. ${error.message} Reload the page to try again.`);
  } finally {
    list.loading.hidden = true;
  }
}

function row(user) {
  const tr = list.row.content.firstElementChild.cloneNode(true);
  const field = (name) => tr.querySelector(`[data-field="${name}"]`);
  const hasSettings = user.permissions.includes("settings");
  tr.dataset.id = user.id;
  field("name").textContent = user.name;
  field("email").textContent = user.email;
  field("role").textContent = ROLE[user.role] ?? user.role;
  field("settings").textContent = user.role === "admin" ? "Yes (administrator)" : hasSettings ? "Yes" : "No";
  const status = field("status");
  status.textContent = user.disabled ? "Disabled" : "Active";
  status.classList.add(user.disabled ? "disabled" : "active");
  field("created").append(timeElement(user.created_at));
  const actions = tr.querySelector(".actions");
  if (user.id === me) {
    // Nobody can demote or disable themselves; say so instead of offering a menu.
    const you = document.createElement("span");
    you.className = "you";
    you.textContent = "You";
    actions.replaceChildren(you);
    return tr;
  }
  const button = tr.querySelector("[data-menu-button]");
  const menu = tr.querySelector('[role="menu"]');
  const label = `Actions for ${user.name}`;
  button.setAttribute("aria-label", label);
  menu.setAttribute("aria-label", label);
  menu.querySelector('[data-action="toggle"]').textContent = user.disabled ? "Enable" : "Disable";
  initMenu(button, menu, (action) => (action === "edit" ? editUser(user) : toggleUser(user)));
  return tr;
}

function menuButton(id) {
  return list.body.querySelector(`tr[data-id="${CSS.escape(id)}"] [data-menu-button]`);
}

/** Keeps the Settings box in step with the role: administrators always hold Settings. */
function syncSettingsBox(form) {
  const admin = form.elements.role.value === "admin";
  const box = form.elements.settings;
  if (admin) box.checked = true;
  box.disabled = admin;
}

function permissionsOf(form) {
  return form.elements.settings.checked ? ["settings"] : [];
}

for (const form of [add.form, edit.form]) {
  form.addEventListener("change", (event) => {
    if (event.target.name === "role") syncSettingsBox(form);
  });
}

$("add-user").addEventListener("click", () => {
  add.form.reset();
  syncSettingsBox(add.form);
  showError(add.form.querySelector("[data-error]"), "");
  add.form.hidden = false;
  add.result.hidden = true;
  $("add-title").textContent = "Add user";
  openDialog(add.dialog, { focus: add.form.elements.email });
});

add.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { email, name, role, password } = add.form.elements;
  const problem = add.form.querySelector("[data-error]");
  if (!email.value.trim() || !name.value.trim()) {
    showError(problem, "Enter the person's email and name.");
    (email.value.trim() ? name : email).focus();
    return;
  }
  const body = {
    email: email.value.trim(),
    name: name.value.trim(),
    role: role.value,
    permissions: permissionsOf(add.form),
  };
  if (password.value) body.password = password.value;
  const submit = add.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Adding…");
  try {
    const created = await api("POST", "/api/v1/users", body);
    await load();
    if (created.set_password_url) {
      $("add-title").textContent = "User added";
      $("add-result-text").textContent = `${created.name} can sign in once they have chosen a password with this link.`;
      $("link-value").value = created.set_password_url;
      add.form.hidden = true;
      add.result.hidden = false;
      add.result.querySelector("[data-copy]").focus();
    } else {
      closeDialog(add.dialog);
      notify(`Added ${created.name}. They can sign in with the password you chose.`);
    }
  } catch (error) {
    showError(problem, error.message);
  } finally {
    setBusy(submit, false);
  }
});

forgetOnClose(add.dialog, () => {
  $("link-value").value = "";
  add.form.elements.password.value = "";
});

function editUser(user) {
  edit.form.dataset.id = user.id;
  edit.form.elements.role.value = user.role;
  edit.form.elements.settings.checked = user.permissions.includes("settings");
  syncSettingsBox(edit.form);
  $("edit-who").textContent = `${user.name} (${user.email})`;
  showError(edit.form.querySelector("[data-error]"), "");
  openDialog(edit.dialog, { returnTo: () => menuButton(user.id) ?? $("add-user") });
}

edit.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const submit = edit.form.querySelector('button[type="submit"]');
  setBusy(submit, true, "Saving…");
  try {
    const body = { role: edit.form.elements.role.value, permissions: permissionsOf(edit.form) };
    const saved = await api("PATCH", `/api/v1/users/${edit.form.dataset.id}`, body);
    closeDialog(edit.dialog);
    notify(`Saved ${saved.name}.`);
    await load();
  } catch (error) {
    showError(edit.form.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(submit, false);
  }
});

async function enableUser(user) {
  try {
    const saved = await api("PATCH", `/api/v1/users/${user.id}`, { disabled: false });
    notify(`Enabled ${saved.name}. They can sign in again.`);
    await load();
  } catch (error) {
    notify(error.message, { tone: "error" });
  }
}

/** Enabling is harmless and immediate; disabling ends sessions, so it asks first. */
function toggleUser(user) {
  if (user.disabled) {
    enableUser(user);
    return;
  }
  $("confirm-title").textContent = `Disable ${user.name}?`;
  $("confirm-text").textContent = `${user.name} (${user.email}) will no longer be able to sign in. You can enable the account again later.`;
  $("confirm-warning").textContent = "This is immediate: their open sessions end now.";
  confirm.button.textContent = "Disable user";
  showError(confirm.dialog.querySelector("[data-error]"), "");
  pendingConfirm = async () => {
    await api("PATCH", `/api/v1/users/${user.id}`, { disabled: true });
    closeDialog(confirm.dialog);
    notify(`Disabled ${user.name}. Their sessions have ended.`);
    await load();
  };
  openDialog(confirm.dialog, {
    focus: confirm.dialog.querySelector("[data-close]"),
    returnTo: () => menuButton(user.id) ?? $("add-user"),
  });
}

confirm.button.addEventListener("click", async () => {
  if (!pendingConfirm) return;
  setBusy(confirm.button, true, "Working…");
  try {
    await pendingConfirm();
  } catch (error) {
    showError(confirm.dialog.querySelector("[data-error]"), error.message);
  } finally {
    setBusy(confirm.button, false);
  }
});

load();
