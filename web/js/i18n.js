// The site's words in English and Spanish. Every user-visible string lives in a
// catalog, web/i18n/<namespace>.json: {"key": {"en": "…", "es": "…"}}, placeholders
// written {name}. Code names a string "<namespace>.<key>": t("common.sign_out") is
// the key "sign_out" of web/i18n/common.json. The namespace "common" (navigation,
// header, footer, buttons, the API client's words) is always loaded.
//
// A page module loads its own catalogs before it renders anything:
//   await loadCatalogs("home");           // common + home, each fetched once
// HTML carries keys, never text:
//   <h1 data-i18n="home.heading"></h1>
//   <input data-i18n-attr="placeholder:ns.key;aria-label:ns.key2">
// and translatePage() (called by page.js's showPage/startPage) fills them, sets
// <html lang> and the <title>, then shows the page (site.css hides the body until then).
// tests/unit/test_web_catalogs.py checks that every key used exists in both languages.

export const LANGUAGES = ["en", "es"];
const STORAGE_KEY = "language";
/** The Intl locale of each language: dates and amounts as a US family reads them. */
const LOCALES = { en: "en-US", es: "es-US" };
/** Each language's name, in that language (the switch's buttons). */
const NAMES = { en: "common.language_en", es: "common.language_es" };

const catalogs = new Map(); // namespace -> {key: {en, es}}
const loading = new Map(); // namespace -> Promise

function saved() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (private mode, policy): follow the browser
  }
}

/** "en" | "es": the saved choice, else the browser's first English or Spanish, else "en". */
export function language() {
  const choice = saved();
  if (LANGUAGES.includes(choice)) return choice;
  for (const tag of navigator.languages || [navigator.language]) {
    const primary = String(tag || "").toLowerCase().split("-")[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return "en";
}

/** The Intl locale for the current language ("en-US", "es-US"). */
export function locale() {
  return LOCALES[language()];
}

/** Save the choice and show the page again in it (a reload: every script renders anew). */
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) throw new Error(`unknown language ${lang}`);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but this page still changes.
  }
  location.reload();
}

async function fetchCatalog(namespace) {
  const response = await fetch(`/i18n/${encodeURIComponent(namespace)}.json`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`catalog ${namespace}: HTTP ${response.status}`);
  catalogs.set(namespace, await response.json());
}

// The one text that cannot come from a catalog: the catalogs did not load.
const UNREADABLE = "This page could not load. Please reload it. · No se pudo cargar esta página. Por favor, vuelva a cargarla.";

function showUnreadable() {
  const main = document.getElementById("main") || document.body;
  const alert = document.createElement("p");
  alert.setAttribute("role", "alert");
  alert.textContent = UNREADABLE;
  main.replaceChildren(alert);
  document.documentElement.dataset.translated = "failed";
}

/**
 * Fetch /i18n/common.json and the named catalogs (each once, in parallel). When one
 * cannot be read, the page says so (in both languages) and the promise rejects.
 */
export async function loadCatalogs(...namespaces) {
  try {
    await fetchAll(namespaces);
  } catch (error) {
    showUnreadable();
    throw error;
  }
}

async function fetchAll(namespaces) {
  const wanted = ["common", ...namespaces.filter((n) => n !== "common")];
  await Promise.all(wanted.map((namespace) => {
    if (!loading.has(namespace)) {
      const promise = fetchCatalog(namespace);
      promise.catch(() => loading.delete(namespace)); // a later call tries again
      loading.set(namespace, promise);
    }
    return loading.get(namespace);
  }));
}

/** On the developer's machine (make dev, the tests) a missing key is an error, not a blank. */
function isDev() {
  return ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
}

function entry(key) {
  const dot = key.indexOf(".");
  const catalog = dot > 0 ? catalogs.get(key.slice(0, dot)) : undefined;
  return catalog ? catalog[key.slice(dot + 1)] : undefined;
}

/** Whether `key` names a string of a loaded catalog. */
export function has(key) {
  return entry(key) !== undefined;
}

/** The string `key` ("ns.key") in the current language, {placeholders} filled from `vars`. */
export function t(key, vars = {}) {
  const found = entry(key);
  const text = found && (found[language()] || found.en);
  if (typeof text !== "string") {
    const problem = new Error(`i18n: no string "${key}" (is its catalog loaded?)`);
    if (isDev()) throw problem;
    console.error(problem);
    return "";
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole);
}

/**
 * The string `key` as nodes for an element builder, each placeholder its own node:
 * a Node as given (a link, a <strong>), any other value in a <span translate="no">
 * (a name, a date: data, not the site's words). tNodes("ns.key", {school: strong}).
 */
export function tNodes(key, vars = {}) {
  const text = t(key);
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    if (!Object.prototype.hasOwnProperty.call(vars, match[1])) continue;
    if (match.index > last) nodes.push(text.slice(last, match.index));
    const value = vars[match[1]];
    if (value instanceof Node) nodes.push(value);
    else {
      const span = document.createElement("span");
      span.translate = false;
      span.textContent = String(value);
      nodes.push(span);
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/**
 * Fill every [data-i18n] element's text and every [data-i18n-attr] element's
 * attributes ("placeholder:ns.key;aria-label:ns.key2") under `root`; on the whole
 * document also <html lang> and the <title>, and show the page.
 */
export function translatePage(root = document) {
  const lang = language();
  const scope = root === document ? document.documentElement : root;
  const elements = [scope, ...scope.querySelectorAll("[data-i18n], [data-i18n-attr]")];
  for (const element of elements) {
    if (element.dataset?.i18n) element.textContent = t(element.dataset.i18n);
    if (element.dataset?.i18nAttr) {
      for (const pair of element.dataset.i18nAttr.split(";")) {
        const [attribute, key] = pair.split(":").map((part) => part.trim());
        if (attribute && key) element.setAttribute(attribute, t(key));
      }
    }
  }
  if (root === document) {
    document.documentElement.lang = lang;
    document.documentElement.dataset.translated = lang;
  }
}

/**
 * The language switch: a group of two buttons, each named in its own language
 * (lang="en" English, lang="es" Español); the current one is pressed.
 */
export function languageSwitch() {
  const current = language();
  const group = document.createElement("div");
  group.className = "language-switch";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", t("common.language_switch"));
  for (const lang of LANGUAGES) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.lang = lang;
    button.textContent = t(NAMES[lang]);
    button.setAttribute("aria-pressed", String(lang === current));
    button.addEventListener("click", () => {
      if (lang !== language()) setLanguage(lang);
    });
    group.append(button);
  }
  return group;
}
