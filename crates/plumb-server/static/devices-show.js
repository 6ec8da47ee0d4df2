// One device: the server renders the whole page; this only shows its times in the browser's
// locale and time zone (the UTC time stays on hover) and names the tab after the device.

import { timeElement } from "./time.js";
import "./shell.js";

for (const element of document.querySelectorAll("time[data-local]")) {
  element.replaceWith(timeElement(element.dateTime));
}

const name = document.getElementById("device-name")?.textContent;
if (name) document.title = `${name} · plumb`;
