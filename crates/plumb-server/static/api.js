// Calls to plumb's JSON management API (/api/v1) from the web UI: same-origin cookie, the
// page's CSRF token on every write, and errors turned into sentences a person can act on.

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A failed API call: `status` (0 when plumb could not be reached), `code`, and a message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The CSRF token the page was rendered with (GET /api/v1/session returns the same). */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** Turns an API message ("description must ...") into a sentence ("Description must ..."). */
export function sentence(text) {
  const trimmed = String(text ?? "").trim();
  if (!trimmed) return "";
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Sends one request and returns the parsed JSON body (or null for 204). A 401 means the session
 * ended: unless `signInOn401` is false, the browser goes to the sign-in page and comes back here.
 */
export async function api(method, path, body, { signInOn401 = true, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (WRITES.has(method)) headers["X-CSRF-Token"] = csrfToken();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "network", "plumb could not be reached. Check your connection, then try again.");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  if (response.status === 401 && signInOn401) {
    const here = location.pathname + location.search;
    location.assign(`/login?next=${encodeURIComponent(here)}`);
  }
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  const message = sentence(data?.error) || `plumb answered ${response.status}. Try again in a moment.`;
  throw new ApiError(response.status, data?.code ?? "unknown", message, retryAfter);
}
