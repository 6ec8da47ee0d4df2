// The sign-in form: POST /api/v1/session, then on to `next` (a path on this server) or `/`
// (which leads on to the person's first page). The server sets the session cookie; nothing is stored here.

import { api } from "./api.js";
import { showError } from "./notify.js";
import { setBusy } from "./dialog.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const email = form.elements.email;
const password = form.elements.password;
const submit = form.querySelector('button[type="submit"]');

function destination() {
  const next = form.dataset.next ?? "";
  // The server only renders local paths here; check again so no link can send anyone away.
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function minutes(seconds) {
  const count = Math.max(1, Math.ceil(seconds / 60));
  return count === 1 ? "a minute" : `${count} minutes`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError(error, "");
  if (!email.value.trim() || !password.value) {
    showError(error, "Enter your email and password.");
    (email.value.trim() ? password : email).focus();
    return;
  }
  setBusy(submit, true, "Signing in…");
  try {
    await api("POST", "/api/v1/session", { email: email.value.trim(), password: password.value }, { signInOn401: false });
    location.assign(destination());
  } catch (failure) {
    setBusy(submit, false);
    if (failure.status === 401) {
      showError(error, "That email and password don't match an account. Check them and try again.");
    } else if (failure.status === 429) {
      showError(error, `Too many failed attempts. Wait ${minutes(failure.retryAfter ?? 60)}, then try again.`);
    } else {
      showError(error, failure.message);
    }
    password.select();
    password.focus();
  }
});
