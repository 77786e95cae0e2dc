import { api, query } from "./api.js";
import { clearErrors, fillForm, onSubmit, requireFields, showStatus } from "./forms.js";
import { dateTime, h, pageError, startPage, schoolOptions, table, schoolYears, ready } from "./page.js";

const schoolForm = document.getElementById("school-form");
const courseForm = document.getElementById("course-form");
const filterForm = document.getElementById("offerings-filter");
const offeringForm = document.getElementById("offering-form");
const inviteForm = document.getElementById("invite-form");
const userForm = document.getElementById("school-user-form");
const editOfferingForm = document.getElementById("offering-edit-form");
const offeringsStatus = document.getElementById("offerings-status");
const KINDS = { high_school: "High school", skill_center: "Skill center" };
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
  document.getElementById("offering-edit-heading").textContent = `Change ${offering.high_school_course}, ${offering.school_year}`;
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
  document.getElementById("school-form-heading").textContent = `Change ${school.name}`;
  document.getElementById("school-submit").textContent = "Save changes";
  document.getElementById("school-cancel").hidden = false;
  schoolForm.elements.name.focus();
}

function stopEditing() {
  schoolForm.reset();
  schoolForm.elements.school_id.value = "";
  document.getElementById("school-form-heading").textContent = "Add a school";
  document.getElementById("school-submit").textContent = "Add school";
  document.getElementById("school-cancel").hidden = true;
}

async function loadSchools() {
  schools = await api("/schools", { auth: false });
  const sorted = schools.slice().sort((a, b) => a.name.localeCompare(b.name));
  document.getElementById("schools-body").replaceChildren(table("Schools", ["Name", "Kind", "District", h("span", { class: "visually-hidden" }, "Change")],
    sorted.map((s) => [s.name, KINDS[s.kind] || s.kind, s.district || "",
      h("button", { type: "button", class: "secondary", onclick: () => editSchool(s) }, h("span", {}, "Change"),
        h("span", { class: "visually-hidden" }, ` ${s.name}`))])));
  const keep = (select) => select.value;
  for (const select of [filterForm.elements.school_id, inviteForm.elements.school_id]) {
    schoolOptions(select, schools, keep(select) || sorted[0]?.school_id);
  }
}

async function loadCourses() {
  courses = await api("/college-courses");
  document.getElementById("courses-body").replaceChildren(table("Articulated college courses", ["Course", "Title", "College", "Credits"],
    courses.map((c) => [c.course_code, c.title, c.college, String(c.credits)])));
  offeringForm.elements.college_course_id.replaceChildren(h("option", { value: "" }, "Choose a course"),
    ...courses.map((c) => h("option", { value: c.course_id }, `${c.course_code} ${c.title} (${c.college})`)));
}

async function loadOfferings() {
  const { school_id, school_year } = { school_id: filterForm.elements.school_id.value, school_year: filterForm.elements.school_year.value };
  const name = schools.find((s) => s.school_id === school_id)?.name || "this school";
  offeringsStatus.textContent = "";
  offerings = school_id ? await api(`/schools/${encodeURIComponent(school_id)}/offerings${query({ school_year })}`, { auth: false }) : [];
  if (!offerings.some((o) => o.offering_id === editOfferingForm.elements.offering_id.value)) stopEditingOffering();
  document.getElementById("offerings-body").replaceChildren(offerings.length
    ? table(`Classes at ${name}, ${school_year}`, ["Class", "Teacher", "College course", "Credits", "Lowest grade for credit",
      h("span", { class: "visually-hidden" }, "Edit")],
      offerings.map((o) => [o.high_school_course, o.teacher, `${o.college}: ${o.college_course_code} ${o.college_course_title}`,
        String(o.credits), o.grade_threshold,
        h("button", { type: "button", class: "secondary", "data-offering-id": o.offering_id, onclick: () => editOffering(o) },
          h("span", {}, "Edit"), h("span", { class: "visually-hidden" }, ` ${o.high_school_course}`))]))
    : h("p", {}, `No class is offered at ${name} for ${school_year} yet.`));
  await loadUsers(school_id, name);
}

async function loadUsers(schoolId, name) {
  if (!schoolId) return;
  const users = await api(`/schools/${encodeURIComponent(schoolId)}/users`);
  const status = (u) => {
    if (u.status === "removed") return `Removed ${dateTime(u.removed_at)}`;
    if (!u.invitation_pending) return "Active";
    return [`Invitation pending${u.invitation_resent_at ? `, sent again ${dateTime(u.invitation_resent_at)}` : ""} `,
      h("button", {
        type: "button", class: "secondary", "aria-label": `Send the invitation again to ${u.email}`,
        onclick: async (event) => {
          const button = event.currentTarget;
          const said = document.getElementById("users-status");
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
          button.textContent = "Sending…";
          try {
            await api("/school-users/resend", { method: "POST", body: { email: u.email, school_id: u.school_id } });
            await loadUsers(schoolId, name);
            said.textContent = `The invitation is sent again to ${u.email}.`;
          } catch (error) {
            await loadUsers(schoolId, name);
            said.textContent = `${u.email}: ${error.message}`;
          }
        },
      }, "Send again")];
  };
  document.getElementById("users-body").replaceChildren(users.length
    ? table(`Users at ${name}`, ["Email", "Invited", "Status"], users.map((u) => [u.email, dateTime(u.invited_at), status(u)]))
    : h("p", {}, `No user is invited at ${name} yet.`));
  const active = users.filter((u) => u.status !== "removed");
  userForm.elements.user_id.replaceChildren(...active.map((u) => h("option", { value: u.user_id }, u.email)));
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
      showStatus(schoolForm, `${school.name} is saved.`);
    } else {
      const school = await api("/schools", { method: "POST", body: fields });
      schoolForm.reset();
      showStatus(schoolForm, `${school.name} is added.`);
    }
    await loadSchools();
  });
  onSubmit(courseForm, async (data) => {
    const course = await api("/college-courses", { method: "POST", body: data });
    courseForm.reset();
    await loadCourses();
    showStatus(courseForm, `${course.course_code} ${course.title} is added.`);
  });
  onSubmit(filterForm, loadOfferings, { busyLabel: "Loading…" });
  filterForm.elements.school_id.addEventListener("change", () => loadOfferings().catch(pageError));
  filterForm.elements.school_year.addEventListener("change", () => loadOfferings().catch(pageError));
  onSubmit(offeringForm, async (data) => {
    const offering = await api("/offerings", {
      method: "POST",
      body: { ...data, school_id: filterForm.elements.school_id.value, school_year: filterForm.elements.school_year.value },
    });
    offeringForm.reset();
    await loadOfferings();
    showStatus(offeringForm, `${offering.high_school_course} is offered for ${offering.school_year}.`);
  });
  document.getElementById("offering-edit-cancel").addEventListener("click", () => stopEditingOffering({ focusRow: true }));
  editOfferingForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stopEditingOffering({ focusRow: true });
  });
  onSubmit(editOfferingForm, async (data) => {
    const { offering_id: offeringId, ...fields } = data;
    requireFields(fields, { high_school_course: "High-school class name is required", teacher: "Teacher is required" });
    const offering = await api(`/offerings/${encodeURIComponent(offeringId)}`, { method: "PATCH", body: fields });
    stopEditingOffering();
    await loadOfferings();
    offeringsStatus.textContent = `${offering.high_school_course} with ${offering.teacher} is saved.`;
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
    showStatus(inviteForm, again ? `We emailed ${user.email} a new temporary password.` : `We emailed an invitation to ${user.email}.`);
  }, { busyLabel: "Inviting…" });
  onSubmit(userForm, async (data, button) => {
    const id = encodeURIComponent(data.user_id || "");
    requireFields(data, { user_id: "Choose a school user." });
    const schoolId = filterForm.elements.school_id.value;
    let message;
    if (button?.dataset.action === "remove") {
      const user = await api(`/school-users/${id}/remove`, { method: "POST" });
      message = `${user.email} is removed and can no longer sign in.`;
    } else {
      requireFields(data, { school_id: "Choose the school to move them to." });
      const user = await api(`/school-users/${id}`, { method: "PATCH", body: { school_id: data.school_id } });
      message = `${user.email} is moved to ${schools.find((s) => s.school_id === user.school_id)?.name}.`;
    }
    await loadUsers(schoolId, schools.find((s) => s.school_id === schoolId)?.name);
    showStatus(userForm, message);
  });
}
ready();
