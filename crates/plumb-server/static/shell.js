// The app shell, on every signed-in page: "Sign out" ends the session and goes to sign-in.

import { api } from "./api.js";

document.querySelector("[data-sign-out]")?.addEventListener("click", async (event) => {
  event.currentTarget.disabled = true;
  try {
    await api("DELETE", "/api/v1/session", undefined, { signInOn401: false });
  } catch {
    // The session may have ended already; signing in again is the way on either way.
  }
  location.assign("/login");
});
