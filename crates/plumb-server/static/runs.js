// A Runs view (an automation's, or a device's): runs newest first from the element's
// data-runs path, each a disclosure (<details>) with every step's status and output. Live:
// while a run is pending or running the list is fetched again every 2 seconds (every 15
// otherwise, while the tab is visible), rows are updated in place so open runs stay open and
// focus stays put, and a run that ends is announced.

import { api } from "./api.js";
import { notify, showError } from "./notify.js";
import { timeElement } from "./time.js";

const ACTIVE = new Set(["pending", "running"]);
const LABELS = {
  pending: "Pending",
  running: "Running",
  success: "Succeeded",
  warning: "Warning",
  error: "Failed",
  canceled: "Canceled",
};

/** Mounts the view in `root` (data-runs: the list's path; data-show: "device" or "automation"). */
export function mountRuns(root) {
  const path = root.dataset.runs;
  const showDevice = root.dataset.show === "device";
  const error = document.createElement("div");
  error.className = "alert";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const list = document.createElement("ul");
  list.className = "runs";
  const empty = document.createElement("p");
  empty.className = "muted";
  empty.textContent = "No runs yet.";
  empty.hidden = true;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "button";
  more.textContent = "Load older runs";
  more.hidden = true;
  root.append(error, list, empty, more);
  const seen = new Map();
  let cursor = null;
  let timer;

  function title(run) {
    const subject = showDevice ? (run.device_hostname ?? "Deleted device") : run.automation_name;
    return `${subject}: ${LABELS[run.status]}`;
  }

  function item(run) {
    let li = list.querySelector(`li[data-id="${CSS.escape(run.id)}"]`);
    if (!li) {
      li = document.createElement("li");
      li.dataset.id = run.id;
      li.innerHTML = '<details><summary><span data-field="title"></span> <span class="muted" data-field="when"></span></summary><ol class="run-steps"></ol></details>';
    }
    li.className = `run ${run.status}`;
    li.querySelector('[data-field="title"]').textContent = title(run);
    const when = li.querySelector('[data-field="when"]');
    when.replaceChildren("· started ", timeElement(run.created_at));
    const steps = li.querySelector(".run-steps");
    steps.replaceChildren(
      ...run.steps.map((step) => {
        const row = document.createElement("li");
        const head = document.createElement("p");
        head.className = `run-step ${step.status}`;
        head.textContent = `${step.name} (${step.shell}): ${LABELS[step.status]}`;
        row.append(head);
        if (step.output !== null) {
          const output = document.createElement("pre");
          output.className = "output";
          output.tabIndex = 0;
          output.setAttribute("aria-label", `Output of ${step.name}`);
          output.textContent = step.output || "(no output)";
          row.append(output);
        }
        return row;
      }),
    );
    return li;
  }

  function place(runs, { older }) {
    for (const run of runs) {
      const before = seen.get(run.id);
      if (before && ACTIVE.has(before) && !ACTIVE.has(run.status)) notify(`Run ended. ${title(run)}.`);
      seen.set(run.id, run.status);
      const li = item(run);
      if (!li.isConnected) {
        if (older) list.append(li);
        else list.prepend(li);
      }
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const page = await api("GET", `${path}?limit=20`);
      place([...page.data].reverse(), { older: false });
      if (cursor === null) {
        cursor = page.next_cursor;
        more.hidden = !cursor;
      }
      empty.hidden = list.children.length > 0;
      showError(error, "");
    } catch (failure) {
      showError(error, `The runs could not be loaded. ${failure.message}`);
    }
    const active = [...seen.values()].some((status) => ACTIVE.has(status));
    timer = setTimeout(() => {
      if (document.visibilityState === "visible" || active) refresh();
      else timer = setTimeout(refresh, 15000);
    }, active ? 2000 : 15000);
  }

  more.addEventListener("click", async () => {
    try {
      const page = await api("GET", `${path}?limit=20&cursor=${encodeURIComponent(cursor)}`);
      place(page.data, { older: true });
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (failure) {
      showError(error, `The runs could not be loaded. ${failure.message}`);
    }
  });

  refresh();
  return { refresh };
}
