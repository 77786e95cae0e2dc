import { api } from "./api.js";
import { longDate, ready } from "./page.js";

const status = document.getElementById("window-status");
try {
  const window_ = await api("/window", { auth: false });
  status.textContent = window_.status === "open"
    ? `Registration for ${window_.school_year} is open until ${longDate(window_.closes_on)}.`
    : window_.status === "not_yet_open"
      ? `Registration for ${window_.school_year} opens on ${longDate(window_.opens_on)}.`
      : `Registration for ${window_.school_year} closed on ${longDate(window_.closes_on)}.`;
  status.hidden = false;
} catch {
  // The links still work without the window line.
}
ready();
