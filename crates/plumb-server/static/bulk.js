// Devices: the selection and what can be done to it at once: move to a group
// (POST /api/v1/devices/group), add or remove a tag (POST / DELETE /api/v1/tags/{id}/devices,
// creating the tag first when it is new; only devices that lack or carry it are sent), and
// delete after confirmation (DELETE /api/v1/devices/{id} each).

import { api } from "./api.js";
import { ask } from "./confirm.js";
import { notify } from "./notify.js";

const $ = (id) => document.getElementById(id);
const selected = new Set();
let tags = [];
let onChange = async () => {};

/** Wires the bar; `reload` reloads the list after a change. */
export function initBulk(reload) {
  onChange = reload;
  $("bulk-move").addEventListener("click", () => act(move));
  $("bulk-tag-add").addEventListener("click", () => act(() => retag(true)));
  $("bulk-tag-remove").addEventListener("click", () => act(() => retag(false)));
  $("bulk-delete").addEventListener("click", remove);
}

/** The tags known, for the datalist and for finding a tag by name. */
export function setTags(list) {
  tags = list;
  $("bulk-tags").replaceChildren(...list.map((tag) => new Option(tag.name)));
}

/** Whether a device is selected. */
export const isSelected = (id) => selected.has(id);

/** Selects or unselects devices, and shows the bar while anything is selected. */
export function select(ids, on, shown) {
  for (const id of ids) on ? selected.add(id) : selected.delete(id);
  for (const id of [...selected]) if (!shown.some((device) => device.id === id)) selected.delete(id);
  $("bulk").hidden = selected.size === 0;
  $("bulk-count").textContent = `${selected.size} selected`;
  const all = $("select-all");
  all.checked = shown.length > 0 && shown.every((device) => selected.has(device.id));
  all.indeterminate = !all.checked && selected.size > 0;
}

let devicesShown = [];
/** The devices the list shows now. */
export function shownDevices(list) {
  devicesShown = list;
  select([], true, list);
}

async function act(change) {
  try {
    const message = await change();
    if (message) {
      selected.clear();
      await onChange();
      notify(message);
    }
  } catch (error) {
    notify(error.message, { tone: "error" });
  }
}

async function move() {
  const group = $("bulk-group");
  const ids = [...selected];
  await api("POST", "/api/v1/devices/group", { device_ids: ids, group_id: group.value === "null" ? null : group.value });
  const where = group.value === "null" ? "out of any group" : `to ${group.selectedOptions[0].text}`;
  return `Moved ${ids.length} ${ids.length === 1 ? "device" : "devices"} ${where}.`;
}

async function retag(add) {
  const name = $("bulk-tag").value.trim();
  if (!name) {
    $("bulk-tag").focus();
    notify("Type the tag's name first.", { tone: "error" });
    return null;
  }
  let tag = tags.find((known) => known.name.toLowerCase() === name.toLowerCase());
  if (!tag && !add) return `No device carries the tag “${name}”.`;
  if (!tag) tag = await api("POST", "/api/v1/tags", { name });
  const ids = devicesShown
    .filter((device) => selected.has(device.id) && device.tags.includes(tag.name) !== add)
    .map((device) => device.id);
  if (ids.length > 0) await api(add ? "POST" : "DELETE", `/api/v1/tags/${encodeURIComponent(tag.id)}/devices`, { device_ids: ids });
  $("bulk-tag").value = "";
  return add ? `Tagged ${ids.length} ${ids.length === 1 ? "device" : "devices"} “${tag.name}”.` : `Removed “${tag.name}” from ${ids.length} ${ids.length === 1 ? "device" : "devices"}.`;
}

function remove() {
  const ids = [...selected];
  const names = devicesShown.filter((device) => selected.has(device.id)).map((device) => device.hostname);
  ask({
    title: `Delete ${ids.length} ${ids.length === 1 ? "device" : "devices"}?`,
    text: `${names.join(", ")} will be deleted with their inventory, tags, alerts and runs.`,
    warning: "Their agents stop working at once; to add a machine again, run its install command again.",
    action: "Delete",
    returnTo: () => $("device-search"),
    run: async () => {
      for (const id of ids) await api("DELETE", `/api/v1/devices/${encodeURIComponent(id)}`);
      selected.clear();
      await onChange();
      notify(`Deleted ${names.join(", ")}.`);
    },
  });
}
