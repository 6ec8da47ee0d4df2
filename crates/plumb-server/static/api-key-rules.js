// Settings → API keys: what an owner limits about a key (expiry, allowed addresses, rate limit,
// disabled) as the key forms and the list show them.

const DAY_MS = 24 * 60 * 60 * 1000;
/** Keys expiring within this many days are marked in the list. */
export const SOON_DAYS = 7;

/** "YYYY-MM-DD" of an ISO time in the browser's time zone, for a date input. */
function localDate(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Fills the expiry, address and rate fields of a key form from a key (or empties them). */
export function resetRules(form, key = {}) {
  form.elements.expires.value = key.expires_at ? localDate(key.expires_at) : "";
  form.elements.expires.removeAttribute("aria-invalid");
  form.querySelector('[id$="-expires-error"]').hidden = true;
  form.elements.allowed_ips.value = (key.allowed_ips ?? []).join("\n");
  form.elements.rate_limit.value = key.rate_limit_per_minute ?? "";
}

/** Reads those fields into API names; null (with the field marked) if the date is past. */
export function readRules(form) {
  const expires = form.elements.expires;
  const problem = form.querySelector('[id$="-expires-error"]');
  let expiresAt = null;
  if (expires.value) {
    // The key works through the whole chosen day, in the browser's time zone.
    const end = new Date(`${expires.value}T23:59:59`);
    if (Number.isNaN(end.getTime()) || end.getTime() <= Date.now()) {
      expires.setAttribute("aria-invalid", "true");
      problem.textContent = "Choose a day from today on, or leave the field empty for never.";
      problem.hidden = false;
      expires.focus();
      return null;
    }
    expiresAt = end.toISOString();
  }
  expires.removeAttribute("aria-invalid");
  problem.hidden = true;
  const allowedIps = form.elements.allowed_ips.value
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const rate = form.elements.rate_limit.value.trim();
  return {
    expires_at: expiresAt,
    allowed_ips: allowedIps,
    rate_limit_per_minute: rate === "" ? null : Number(rate),
  };
}

/** Only the settings that differ from the key's, so an edit logs only real changes. */
export function changedRules(rules, key) {
  const changed = {};
  const sameDay = (a, b) => (a ? localDate(a) : "") === (b ? localDate(b) : "");
  if (!sameDay(rules.expires_at, key.expires_at)) changed.expires_at = rules.expires_at;
  if (rules.allowed_ips.join("\n") !== (key.allowed_ips ?? []).join("\n")) changed.allowed_ips = rules.allowed_ips;
  if (rules.rate_limit_per_minute !== (key.rate_limit_per_minute ?? null)) {
    changed.rate_limit_per_minute = rules.rate_limit_per_minute;
  }
  return changed;
}

/** "disabled", "expired", "expiring" (within SOON_DAYS) or "active". */
export function state(key, now = Date.now()) {
  if (key.disabled) return "disabled";
  if (!key.expires_at) return "active";
  const left = new Date(key.expires_at).getTime() - now;
  if (left <= 0) return "expired";
  return left <= SOON_DAYS * DAY_MS ? "expiring" : "active";
}

/** The Status cell: a badge, and a line about the grace period or the address list. */
export function statusCell(key) {
  const fragment = document.createDocumentFragment();
  const badge = document.createElement("span");
  const now = Date.now();
  const current = state(key, now);
  badge.className = `badge ${current}`;
  if (current === "disabled") badge.textContent = "Disabled";
  else if (current === "expired") badge.textContent = "Expired";
  else if (key.expires_at) badge.textContent = `Expires ${relativeDays(new Date(key.expires_at).getTime() - now)}`;
  else badge.textContent = "Active";
  if (key.expires_at) badge.title = `Expires ${new Date(key.expires_at).toLocaleString()}`;
  fragment.append(badge);
  const notes = [];
  if (key.previous_valid_until) notes.push(`Old value works until ${new Date(key.previous_valid_until).toLocaleString()}`);
  if (key.allowed_ips?.length) notes.push(`${key.allowed_ips.length} allowed address${key.allowed_ips.length === 1 ? "" : "es"}`);
  if (key.effective_rate_limit_per_minute) notes.push(`${key.effective_rate_limit_per_minute} requests per minute`);
  for (const text of notes) {
    const note = document.createElement("span");
    note.className = "status-note";
    note.textContent = text;
    fragment.append(note);
  }
  return fragment;
}

/** "in 3 days", "in 5 hours", "today". */
function relativeDays(ms) {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `in ${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return hours >= 1 ? `in ${hours} hour${hours === 1 ? "" : "s"}` : "within the hour";
}

/** The list as the Show and Sort controls ask for it. */
export function arrange(keys, filter, sort) {
  const now = Date.now();
  const shown = filter === "all" ? [...keys] : keys.filter((key) => state(key, now) === filter);
  if (sort === "expiry") {
    const at = (key) => (key.expires_at ? new Date(key.expires_at).getTime() : Infinity);
    shown.sort((a, b) => at(a) - at(b));
  }
  return shown;
}
