import { api } from "./api.js";
import { loadCatalogs, t } from "./i18n.js";
import { longDate, ready, showPage } from "./page.js";

await loadCatalogs("home");
showPage();

const WINDOW_KEYS = { open: "home.window_open", not_yet_open: "home.window_not_yet_open" };
const status = document.getElementById("window-status");
// On a slow connection the line says it is loading until the window's dates come.
status.setAttribute("role", "status");
status.textContent = t("common.loading");
status.hidden = false;
try {
  const window_ = await api("/window", { auth: false });
  const date = longDate(window_.status === "not_yet_open" ? window_.opens_on : window_.closes_on);
  status.textContent = t(WINDOW_KEYS[window_.status] || "home.window_closed", { year: window_.school_year, date });
  status.hidden = false;
} catch {
  // The links still work without the window line.
  status.hidden = true;
}
ready();
