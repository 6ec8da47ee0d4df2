// The organization's groups from GET /api/v1/groups, each named with its parents
// ("Clients › Acme"), for the group pickers of several pages.

import { api } from "./api.js";

/** Every group as `{ id, name, parent_id, label }`, sorted by label. */
export async function groupsWithPaths() {
  const { data } = await api("GET", "/api/v1/groups");
  const byId = new Map(data.map((group) => [group.id, group]));
  const path = (group, seen = new Set()) => {
    const parent = byId.get(group.parent_id);
    if (!parent || seen.has(parent.id)) return group.name;
    seen.add(group.id);
    return `${path(parent, seen)} › ${group.name}`;
  };
  return data
    .map((group) => ({ ...group, label: path(group) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Appends one option per group to each `<select>`, keeping their first options. */
export function fillGroupSelects(groups, ...selects) {
  for (const select of selects) {
    if (!select) continue;
    select.append(...groups.map((group) => new Option(group.label, group.id)));
  }
}
