import { loadCatalogs, t } from "./i18n.js";
import { api, query } from "./api.js";
import { clearErrors, fillForm, onSubmit, requireFields, showStatus } from "./forms.js";
import { dateTime, h, pageError, startPage, schoolOptions, table, schoolYears, ready } from "./page.js";

await loadCatalogs("staff_catalog");

const schoolForm = document.getElementById("school-form");
const courseForm = document.getElementById("course-form");
const filterForm = document.getElementById("offerings-filter");
const offeringForm = document.getElementById("offering-form");
const inviteForm = document.getElementById("invite-form");
const userForm = document.getElementById("school-user-form");
const editOfferingForm = document.getElementById("offering-edit-form");
const offeringsStatus = document.getElementById("offerings-status");
const KINDS = { high_school: "staff_catalog.high_school", skill_center: "staff_catalog.skill_center" };
const hidden = (text) => h("span", { class: "visually-hidden", translate: "no" }, ` ${text}`);
const data = (text) => h("span", { translate: "no" }, text);
let schools = [];
let courses = [];
let offerings = [];

function editButtonOf(offeringId) {
  return [...document.querySelectorAll("#offerings-body button[data-offering-id]")]
    .find((button) => button.dataset.offeringId === offeringId);
}

/** Open the form that changes one offering (its class name, teacher and lowest grade). */
function editOffering(offering) {
  clearErrors(editOfferingForm);
  editOfferingForm.reset();
  fillForm(editOfferingForm, {
    offering_id: offering.offering_id, high_school_course: offering.high_school_course,
    teacher: offering.teacher, grade_threshold: offering.grade_threshold,
  });
  document.getElementById("offering-edit-heading").textContent = t("staff_catalog.change_offering", { course: offering.high_school_course, year: offering.school_year });
  offeringsStatus.textContent = "";
  editOfferingForm.hidden = false;
  editOfferingForm.elements.high_school_course.focus();
}

function stopEditingOffering({ focusRow = false } = {}) {
  const offeringId = editOfferingForm.elements.offering_id.value;
  clearErrors(editOfferingForm);
  editOfferingForm.reset();
  editOfferingForm.elements.offering_id.value = "";
  editOfferingForm.hidden = true;
  if (focusRow) editButtonOf(offeringId)?.focus();
}

function editSchool(school) {
  schoolForm.reset();
  fillForm(schoolForm, school);
  document.getElementById("school-form-heading").textContent = t("staff_catalog.change_school", { name: school.name });
  document.getElementById("school-submit").textContent = t("staff_catalog.save_changes");
  document.getElementById("school-cancel").hidden = false;
  schoolForm.elements.name.focus();
}

function stopEditing() {
  schoolForm.reset();
  schoolForm.elements.school_id.value = "";
  document.getElementById("school-form-heading").textContent = t("staff_catalog.add_a_school");
  document.getElementById("school-submit").textContent = t("staff_catalog.add_school");
  document.getElementById("school-cancel").hidden = true;
}

async function loadSchools() {
  schools = await api("/schools", { auth: false });
  const sorted = schools.slice().sort((a, b) => a.name.localeCompare(b.name));
  document.getElementById("schools-body").replaceChildren(table(t("staff_catalog.schools"),
    [t("staff_catalog.name"), t("staff_catalog.kind"), t("staff_catalog.district"),
      h("span", { class: "visually-hidden" }, t("staff_catalog.change"))],
    sorted.map((s) => [data(s.name), KINDS[s.kind] ? t(KINDS[s.kind]) : s.kind, data(s.district || ""),
      h("button", { type: "button", class: "secondary", onclick: () => editSchool(s) }, h("span", {}, t("staff_catalog.change")),
        hidden(s.name))])));
  const keep = (select) => select.value;
  for (const select of [filterForm.elements.school_id, inviteForm.elements.school_id]) {
    schoolOptions(select, schools, keep(select) || sorted[0]?.school_id);
  }
}

async function loadCourses() {
  courses = await api("/college-courses");
  document.getElementById("courses-body").replaceChildren(table(t("staff_catalog.articulated_college_courses"),
    [t("staff_catalog.course"), t("staff_catalog.title_2"), t("staff_catalog.college"), t("staff_catalog.credits")],
    courses.map((c) => [data(c.course_code), data(c.title), data(c.college), String(c.credits)])));
  offeringForm.elements.college_course_id.replaceChildren(h("option", { value: "" }, t("staff_catalog.choose_course")),
    ...courses.map((c) => h("option", { value: c.course_id, translate: "no" }, `${c.course_code} ${c.title} (${c.college})`)));
}

async function loadOfferings() {
  const { school_id, school_year } = { school_id: filterForm.elements.school_id.value, school_year: filterForm.elements.school_year.value };
  const name = schools.find((s) => s.school_id === school_id)?.name || t("staff_catalog.this_school");
  offeringsStatus.textContent = "";
  offerings = school_id ? await api(`/schools/${encodeURIComponent(school_id)}/offerings${query({ school_year })}`, { auth: false }) : [];
  if (!offerings.some((o) => o.offering_id === editOfferingForm.elements.offering_id.value)) stopEditingOffering();
  document.getElementById("offerings-body").replaceChildren(offerings.length
    ? table(t("staff_catalog.classes_caption", { name, year: school_year }),
      [t("staff_catalog.class"), t("staff_catalog.teacher"), t("staff_catalog.college_course"), t("staff_catalog.credits"),
        t("staff_catalog.lowest_grade"), h("span", { class: "visually-hidden" }, t("staff_catalog.edit"))],
      offerings.map((o) => [data(o.high_school_course), data(o.teacher),
        data(`${o.college}: ${o.college_course_code} ${o.college_course_title}`), String(o.credits), data(o.grade_threshold),
        h("button", { type: "button", class: "secondary", "data-offering-id": o.offering_id, onclick: () => editOffering(o) },
          h("span", {}, t("staff_catalog.edit")), hidden(o.high_school_course))]))
    : h("p", {}, t("staff_catalog.no_classes", { name, year: school_year })));
  await loadUsers(school_id, name);
}

async function loadUsers(schoolId, name) {
  if (!schoolId) return;
  const users = await api(`/schools/${encodeURIComponent(schoolId)}/users`);
  const status = (u) => {
    if (u.status === "removed") return t("staff_catalog.removed_at", { time: dateTime(u.removed_at) });
    if (!u.invitation_pending) return t("staff_catalog.active");
    return [u.invitation_resent_at
      ? t("staff_catalog.pending_resent", { time: dateTime(u.invitation_resent_at) }) : t("staff_catalog.pending"), " ",
      h("button", {
        type: "button", class: "secondary", "aria-label": t("staff_catalog.send_again_to", { email: u.email }),
        onclick: async (event) => {
          const button = event.currentTarget;
          const said = document.getElementById("users-status");
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
          button.textContent = t("staff_catalog.sending");
          try {
            await api("/school-users/resend", { method: "POST", body: { email: u.email, school_id: u.school_id } });
            await loadUsers(schoolId, name);
            said.textContent = t("staff_catalog.sent_again", { email: u.email });
          } catch (error) {
            await loadUsers(schoolId, name);
            said.textContent = t("staff_catalog.user_error", { email: u.email, message: error.message });
          }
        },
      }, t("staff_catalog.send_again"))];
  };
  document.getElementById("users-body").replaceChildren(users.length
    ? table(t("staff_catalog.users_at", { name }), [t("staff_catalog.email"), t("staff_catalog.invited"), t("staff_catalog.status")],
      users.map((u) => [data(u.email), dateTime(u.invited_at), status(u)]))
    : h("p", {}, t("staff_catalog.no_users", { name })));
  const active = users.filter((u) => u.status !== "removed");
  userForm.elements.user_id.replaceChildren(...active.map((u) => h("option", { value: u.user_id, translate: "no" }, u.email)));
  schoolOptions(userForm.elements.school_id, schools.filter((s) => s.school_id !== schoolId));
}

async function loadYears() {
  const window_ = await api("/window", { auth: false });
  const names = schoolYears(window_.school_year, [1, 0, -1]);
  filterForm.elements.school_year.replaceChildren(
    ...names.map((n) => h("option", { value: n, selected: n === window_.school_year }, n)));
}

if (await startPage("staff", async () => {
  await Promise.all([loadSchools(), loadCourses(), loadYears()]);
  await loadOfferings();
})) {
  document.getElementById("school-cancel").addEventListener("click", stopEditing);
  onSubmit(schoolForm, async (data) => {
    const { school_id: schoolId, ...fields } = data;
    if (schoolId) {
      const school = await api(`/schools/${encodeURIComponent(schoolId)}`, { method: "PATCH", body: fields });
      stopEditing();
      showStatus(schoolForm, t("staff_catalog.school_saved", { name: school.name }));
    } else {
      const school = await api("/schools", { method: "POST", body: fields });
      schoolForm.reset();
      showStatus(schoolForm, t("staff_catalog.school_added", { name: school.name }));
    }
    await loadSchools();
  });
  onSubmit(courseForm, async (data) => {
    const course = await api("/college-courses", { method: "POST", body: data });
    courseForm.reset();
    await loadCourses();
    showStatus(courseForm, t("staff_catalog.course_added", { course: `${course.course_code} ${course.title}` }));
  });
  onSubmit(filterForm, loadOfferings, { busyLabel: t("staff_catalog.loading") });
  filterForm.elements.school_id.addEventListener("change", () => loadOfferings().catch(pageError));
  filterForm.elements.school_year.addEventListener("change", () => loadOfferings().catch(pageError));
  onSubmit(offeringForm, async (data) => {
    const offering = await api("/offerings", {
      method: "POST",
      body: { ...data, school_id: filterForm.elements.school_id.value, school_year: filterForm.elements.school_year.value },
    });
    offeringForm.reset();
    await loadOfferings();
    showStatus(offeringForm, t("staff_catalog.offering_added", { course: offering.high_school_course, year: offering.school_year }));
  });
  document.getElementById("offering-edit-cancel").addEventListener("click", () => stopEditingOffering({ focusRow: true }));
  editOfferingForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stopEditingOffering({ focusRow: true });
  });
  onSubmit(editOfferingForm, async (data) => {
    const { offering_id: offeringId, ...fields } = data;
    requireFields(fields, { high_school_course: t("staff_catalog.class_name_missing"), teacher: t("staff_catalog.teacher_missing") });
    const offering = await api(`/offerings/${encodeURIComponent(offeringId)}`, { method: "PATCH", body: fields });
    stopEditingOffering();
    await loadOfferings();
    offeringsStatus.textContent = t("staff_catalog.offering_saved", { course: offering.high_school_course, teacher: offering.teacher });
    editButtonOf(offering.offering_id)?.focus();
  });
  onSubmit(inviteForm, async (data, button) => {
    const again = button?.dataset.action === "resend";
    const user = await api(again ? "/school-users/resend" : "/school-users", { method: "POST", body: data });
    inviteForm.reset();
    schoolOptions(inviteForm.elements.school_id, schools, user.school_id);
    if (user.school_id === filterForm.elements.school_id.value) {
      await loadUsers(user.school_id, schools.find((s) => s.school_id === user.school_id)?.name);
    }
    showStatus(inviteForm, t(again ? "staff_catalog.password_resent" : "staff_catalog.invited_user", { email: user.email }));
  }, { busyLabel: t("staff_catalog.inviting") });
  onSubmit(userForm, async (data, button) => {
    const id = encodeURIComponent(data.user_id || "");
    requireFields(data, { user_id: t("staff_catalog.user_missing") });
    const schoolId = filterForm.elements.school_id.value;
    let message;
    if (button?.dataset.action === "remove") {
      const user = await api(`/school-users/${id}/remove`, { method: "POST" });
      message = t("staff_catalog.user_removed", { email: user.email });
    } else {
      requireFields(data, { school_id: t("staff_catalog.move_school_missing") });
      const user = await api(`/school-users/${id}`, { method: "PATCH", body: { school_id: data.school_id } });
      message = t("staff_catalog.user_moved", { email: user.email, name: schools.find((s) => s.school_id === user.school_id)?.name });
    }
    await loadUsers(schoolId, schools.find((s) => s.school_id === schoolId)?.name);
    showStatus(userForm, message);
  });
}
ready();
