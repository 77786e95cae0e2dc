// What every page shares: the account navigation, sign-in guards, formatting and
// a tiny element builder (text is always set as text, never as HTML).
import { currentUser, signOut } from "./auth.js";
import { goToSignIn } from "./api.js";
import { languageSwitch, loadCatalogs, locale, t, translatePage } from "./i18n.js";

// Every page needs the common catalog (navigation, header, the API client's words)
// before any of its scripts renders a word.
await loadCatalogs();

const NAV = {
  guest: [["/signin/", "common.nav_sign_in"], ["/signup/", "common.nav_sign_up"], ["/pay/", "common.nav_pay"]],
  student: [["/dashboard/", "common.nav_dashboard"], ["/classes/", "common.nav_classes"], ["/profile/", "common.nav_profile"]],
  school: [["/school/", "common.nav_roster"]],
  college: [["/college/", "common.nav_transcripts"]],
  staff: [
    ["/staff/", "common.nav_students"],
    ["/staff/requests/", "common.nav_requests"],
    ["/staff/review/", "common.nav_review"],
    ["/staff/catalog/", "common.nav_catalog"],
    ["/staff/window/", "common.nav_window"],
    ["/staff/grading/", "common.nav_grading"],
    ["/staff/batches/", "common.nav_batches"],
    ["/staff/report/", "common.nav_report"],
  ],
};

/** h("p", {class: "x"}, "text", child) -> element. Attributes starting with "on" are listeners;
 *  `style` is an object of CSSOM properties ({width: "40%"}). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    // Through the CSSOM: the site's Content-Security-Policy refuses style attributes.
    else if (name === "style") Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function renderNav() {
  const nav = document.getElementById("site-nav");
  if (!nav) return;
  const user = currentUser();
  const links = NAV[user ? user.role : "guest"];
  const here = location.pathname;
  const list = h("ul", {},
    links.map(([href, key]) => h("li", {}, h("a", { href, "aria-current": here === href ? "page" : false }, t(key)))));
  if (user) {
    list.append(h("li", {}, h("button", {
      type: "button",
      class: "link-button",
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        event.currentTarget.setAttribute("aria-busy", "true");
        event.currentTarget.textContent = t("common.signing_out");
        await signOut();
        location.assign("/");
      },
    }, t("common.sign_out"))));
  }
  nav.replaceChildren(list);
}

function renderLanguageSwitch() {
  const header = document.querySelector(".site-header");
  if (!header || header.querySelector(".language-switch")) return;
  header.append(languageSwitch());
}

/**
 * A page's start, before it shows anything: its words (every data-i18n key, the
 * <title>, <html lang>), the navigation and the language switch. Load the page's own
 * catalogs first (`await loadCatalogs("signup")`); startPage calls this itself.
 */
export function showPage() {
  translatePage();
  renderNav();
  renderLanguageSwitch();
}

/**
 * The signed-in user, if their role may see this page; otherwise sends them to
 * sign in, or explains that the page is not for their account, and returns null.
 */
export function requireRole(...roles) {
  const user = currentUser();
  if (!user) {
    goToSignIn();
    return null;
  }
  if (!roles.includes(user.role)) {
    const main = document.getElementById("main");
    main.replaceChildren(
      h("h1", {}, t("common.not_your_page")),
      h("p", {}, t("common.signed_in_as"), " ", h("strong", { translate: "no" }, user.email), " ",
        h("a", { href: { staff: "/staff/", school: "/school/", college: "/college/", student: "/dashboard/" }[user.role] }, t("common.go_to_start"))),
    );
    return null;
  }
  return user;
}

/**
 * The start-up a signed-in page shares: its words (showPage), the guard (requireRole), then `load()`,
 * the page's first requests. A student without a profile yet is sent to complete
 * it; any other failure is shown in the page's alert. Resolves to the user, or to
 * null when the page is not theirs (then the page binds nothing).
 */
export async function startPage(role, load = async () => {}) {
  showPage();
  const user = requireRole(role);
  if (!user) return null;
  const loaded = showLoading();
  try {
    await load(user);
  } catch (error) {
    if (role === "student" && error?.code === "profile_missing") location.replace("/profile/");
    else pageError(error);
  } finally {
    loaded();
  }
  return user;
}

/**
 * While a signed-in page's first requests run, it says it is loading (a status message
 * in its language, first in <main>) and shows nothing else of <main> (site.css), so
 * nobody reads or fills in a form its data has not reached: an existing student never
 * sees the blank first-time profile form. A page with a loading message of its own
 * (#loading: the dashboard, the confirmation) shows that one instead. Returns the
 * function that ends it.
 */
export function showLoading() {
  const main = document.getElementById("main");
  if (!main || document.getElementById("loading")) return () => {};
  const message = h("p", { id: "page-loading", class: "loading page-loading", role: "status" }, t("common.loading"));
  main.prepend(message);
  document.body.dataset.loading = "true";
  return () => {
    delete document.body.dataset.loading;
    message.remove();
  };
}

export function money(cents) {
  return (Number(cents || 0) / 100).toLocaleString(locale(), { style: "currency", currency: "USD" });
}

/** A fee status's words in the current language: FEE_STATUS.due -> "Due" / "Pendiente". */
export const FEE_STATUS = Object.freeze({
  get due() { return t("common.fee_due"); },
  get paid() { return t("common.fee_paid"); },
  get waived() { return t("common.fee_waived"); },
  get waiver_pending() { return t("common.fee_waiver_pending"); },
});

export function feeStatus(status) {
  return h("span", { class: `badge badge-${status}` }, FEE_STATUS[status] || status);
}

/** "2027-06-15" -> "June 15, 2027" / "15 de junio de 2027" (a date, without time-zone shifts). */
export function longDate(isoDate) {
  if (!isoDate) return "";
  const [y, m, d] = String(isoDate).slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale(), {
    year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
  });
}

export function dateTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short", timeZone: "America/Los_Angeles" });
}

/** A table in a scrollable, keyboard-focusable region. */
export function table(caption, headers, rows) {
  const id = `caption-${Math.random().toString(36).slice(2, 9)}`;
  return h("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-labelledby": id },
    h("table", {},
      h("caption", { id }, caption),
      h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell, index) =>
        index === 0 ? h("th", { scope: "row" }, cell) : h("td", {}, cell)))))));
}

/** Options for a <select> of schools. */
export function schoolOptions(select, schools, selected) {
  select.replaceChildren(
    h("option", { value: "" }, t("common.choose_school")),
    ...schools
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => h("option", { value: s.school_id, selected: s.school_id === selected, translate: "no" }, s.name)),
  );
}

/** Show a page-level problem (loading failed) in the page's alert region. */
export function pageError(error) {
  const region = document.getElementById("page-alert");
  const text = error?.message || t("common.error_reload");
  if (region) {
    region.textContent = text;
    region.hidden = false;
  }
}

/** School year names around `current` ("2026-27"): offsets 1 -> next year, -1 -> last year. */
export function schoolYears(current, offsets) {
  const start = Number.parseInt(String(current).slice(0, 4), 10);
  return offsets.map((offset) => `${start + offset}-${String((start + offset + 1) % 100).padStart(2, "0")}`);
}

/** The names of the `count` school years before `current` ("2026-27" -> "2025-26", …). */
export function previousYears(current, count) {
  return schoolYears(current, Array.from({ length: count }, (_, i) => -1 - i));
}

/** Marks the page loaded (data-ready on <body>), for tests and for styles. */
export function ready() {
  if (!document.documentElement.dataset.translated) showPage(); // a page that has not called it
  document.body.dataset.ready = "true";
}

// "Show password" checkboxes: data-toggles names the password input's id.
for (const toggle of document.querySelectorAll("input[data-toggles]")) {
  toggle.addEventListener("change", () => {
    const target = document.getElementById(toggle.dataset.toggles);
    if (target) target.type = toggle.checked ? "text" : "password";
  });
}
