// Times in the browser's own locale and time zone, with the exact UTC time on hover.

const local = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "2025-03-15T14:30:00.000Z" → "2025-03-15 14:30:00 UTC". */
export function utcText(iso) {
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
}

/** A <time> element showing `iso` in local time, with the UTC time in its title. */
export function timeElement(iso) {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = local.format(new Date(iso));
  element.title = utcText(iso);
  return element;
}

/** The "--" shown for a time that has not happened (a key never used). */
export function never() {
  const element = document.createElement("span");
  element.className = "never";
  element.textContent = "--";
  element.title = "Never";
  return element;
}
