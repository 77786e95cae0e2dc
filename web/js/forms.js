// Form plumbing shared by every page: reading a form into the API's JSON shape,
// showing the API's errors next to their fields, and showing progress.
import { loadCatalogs, t } from "./i18n.js";

await loadCatalogs(); // the words below are the common catalog's

/**
 * The form's values as an object. Names with dots nest ("mailing_address.city").
 * Empty fields are left out. data-type on an input converts its value:
 * "int", "number", "cents" (dollars typed, cents sent), "bool" (a checkbox).
 * Several checked checkboxes with one name make an array when data-type="list".
 */
export function readForm(form) {
  const data = {};
  for (const element of form.elements) {
    const name = element.name;
    if (!name || element.disabled || ["submit", "button", "reset", "fieldset"].includes(element.type)) continue;
    const type = element.dataset.type;
    let value;
    if (element.type === "checkbox" && type === "bool") {
      value = element.checked;
    } else if (element.type === "checkbox" || element.type === "radio") {
      if (!element.checked) {
        if (type === "list" && !(name in data)) setPath(data, name, []);
        continue;
      }
      value = element.value;
    } else {
      value = element.value.trim();
      if (value === "") continue;
      if (type === "int" && /^-?\d+$/.test(value)) value = Number.parseInt(value, 10);
      if (type === "number" && !Number.isNaN(Number(value))) value = Number(value);
      if (type === "cents") {
        const dollars = Number(value.replace(/[$,\s]/g, ""));
        value = Number.isFinite(dollars) ? Math.round(dollars * 100) : value;
      }
    }
    if (type === "list") {
      const list = getPath(data, name) || [];
      list.push(value);
      setPath(data, name, list);
    } else {
      setPath(data, name, value);
    }
  }
  return data;
}

function setPath(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] = node[part] && typeof node[part] === "object" ? node[part] : {};
    node = node[part];
  }
  node[parts.at(-1)] = value;
}

function getPath(target, path) {
  return path.split(".").reduce((node, part) => (node ? node[part] : undefined), target);
}

/** Put values into a form's fields by name (nested objects follow dotted names). */
export function fillForm(form, values, prefix = "") {
  for (const [key, value] of Object.entries(values || {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      fillForm(form, value, name);
      continue;
    }
    const field = form.elements.namedItem(name);
    if (!field || value === null || value === undefined) continue;
    if (field instanceof RadioNodeList) {
      field.value = String(value);
    } else if (field.type === "checkbox") {
      field.checked = Boolean(value);
    } else {
      field.value = field.dataset.type === "cents" ? (value / 100).toFixed(2) : String(value);
    }
  }
}

let errorCount = 0;

/** Remove every error shown on the form. */
export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("error-"));
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }
  const alert = formAlert(form);
  alert.hidden = true;
  alert.replaceChildren();
  const status = form.querySelector(".form-status");
  if (status) status.textContent = "";
}

/** The form's role="alert" box, made on first use at the top of the form. */
export function formAlert(form) {
  let alert = form.querySelector(":scope > .form-alert");
  if (!alert) {
    alert = document.createElement("div");
    alert.className = "form-alert";
    alert.setAttribute("role", "alert");
    alert.hidden = true;
    form.prepend(alert);
  }
  return alert;
}

/** Show a message (text, or a node) in the form's alert box. */
export function showAlert(form, message) {
  const alert = formAlert(form);
  alert.replaceChildren(typeof message === "string" ? document.createTextNode(message) : message);
  alert.hidden = false;
}

function findControl(form, field) {
  const container = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (container) return { control: container.querySelector("input, select, textarea") || container, anchor: container };
  const named = form.elements.namedItem(field);
  if (!named) return null;
  if (named instanceof RadioNodeList) {
    const first = named[0];
    return { control: first, anchor: first.closest("fieldset") || first.parentElement };
  }
  return { control: named, anchor: named.closest(".field") || named };
}

/**
 * Show a ServiceError on a form: each {field, message} next to its field (the
 * field is the input's name, e.g. "mailing_address.postal_code"); the rest, and
 * the message itself when no field matched, in the form's alert. Messages are shown
 * as they come: the API words them for the page ("Legal first name is required").
 * `fieldFor(field)` may rename an API field to a form field.
 */
export function showErrors(form, error, { fieldFor = (field) => field } = {}) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  for (const item of error.errors || []) {
    const found = findControl(form, fieldFor(item.field) || item.field);
    if (!found) {
      unplaced.push(item);
      continue;
    }
    const { control, anchor } = found;
    const message = document.createElement("p");
    message.className = "field-error";
    message.id = `error-${++errorCount}`;
    message.textContent = item.message;
    if (anchor === control) control.insertAdjacentElement("afterend", message);
    else anchor.append(message);
    const controls = control.matches("input, select, textarea") ? [control] : [];
    if (anchor !== control) controls.push(...anchor.querySelectorAll("input, select, textarea"));
    for (const each of new Set(controls)) {
      each.setAttribute("aria-invalid", "true");
      const ids = (each.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      each.setAttribute("aria-describedby", [...ids, message.id].join(" "));
    }
    first ||= controls[0] || null;
  }
  const placed = (error.errors || []).length - unplaced.length;
  if (unplaced.length || !placed) {
    const box = document.createElement("div");
    const lead = document.createElement("p");
    lead.textContent = error.message || t("common.error_try_again");
    box.append(lead);
    if (unplaced.length && placed === 0 && unplaced.length > 1) {
      const list = document.createElement("ul");
      for (const item of unplaced) {
        const li = document.createElement("li");
        li.textContent = item.message; // worded by the API, with its place ("Line 4, column …")
        list.append(li);
      }
      box.append(list);
    }
    showAlert(form, box);
    if (!placed) first = formAlert(form); // no field to go to: the message itself
  } else {
    showAlert(form, placed === 1 ? t("common.correct_one_field") : t("common.correct_fields", { count: placed }));
  }
  if (first) {
    if (!first.matches("input, select, textarea, button")) first.tabIndex = -1;
    first.focus();
  }
}

/** Mark a button busy while `work` runs: disabled, aria-busy, and a progress label. */
export async function whileBusy(button, busyLabel, work) {
  if (!button) return work();
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}

/**
 * Handle a form's submit: clear errors, show progress on the button that
 * submitted it, run `action(data, submitter)`, and show any error it throws.
 */
export function onSubmit(form, action, { busyLabel = t("common.saving"), fieldFor } = {}) {
  form.noValidate = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector("[type=submit]");
    if (button?.getAttribute("aria-busy") === "true") return;
    clearErrors(form);
    await whileBusy(button, button?.dataset.busy || busyLabel, async () => {
      try {
        await action(readForm(form), button);
      } catch (error) {
        if (error && typeof error === "object" && "status" in error) showErrors(form, error, { fieldFor });
        else showAlert(form, t("common.error_page"));
        if (!(error && "status" in error)) console.error(error);
      }
    });
  });
  // Submit buttons start disabled in the HTML, until the form is bound here.
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = false;
}

/**
 * A polite message under the form (role="status"): an action's result. The keyboard's
 * focus moves to it, so the next Tab goes on from the result and a screen reader reads
 * it; a page that keeps focus elsewhere (the roster's row) moves it after, or passes
 * { focus: false }.
 */
export function showStatus(form, text, { focus = true } = {}) {
  let status = form.querySelector(".form-status");
  if (!status) {
    status = document.createElement("p");
    status.className = "form-status";
    status.setAttribute("role", "status");
    form.append(status);
  }
  status.textContent = text;
  if (focus && text) {
    status.tabIndex = -1;
    status.focus();
  }
}

/** Throws a field error for each named field left empty: requireFields(data, {email: message}). */
export function requireFields(data, messages) {
  const errors = Object.entries(messages)
    .filter(([field]) => data[field] === undefined || data[field] === "")
    .map(([field, message]) => ({ field, message }));
  if (errors.length) {
    const error = new Error(errors.length === 1 ? errors[0].message : t("common.fill_in_fields"));
    error.status = 400;
    error.code = "missing";
    error.errors = errors;
    throw error;
  }
}
