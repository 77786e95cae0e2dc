import { api } from "./api.js";
import { fillForm, onSubmit, showStatus } from "./forms.js";
import { language, loadCatalogs, t } from "./i18n.js";
import { h, ready, schoolOptions, startPage } from "./page.js";

await loadCatalogs("profile");

const form = document.getElementById("profile-form");
const IDENTITY = ["legal_first_name", "legal_last_name", "birth_date"];
// What PATCH /students/me accepts; the rest of the profile goes through staff.
const CHANGEABLE = [
  "preferred_name", "phone", "mailing_address", "school_id", "expected_graduation_year",
  "language", "guardian_email", "guardian_language",
];
// Optional details a student may empty: an emptied field is sent as null, which clears it.
const CLEARABLE = ["preferred_name", "phone", "guardian_email"];

// A new profile's emails start in the language the page is shown in.
form.elements.language.value = language();
form.elements.guardian_language.value = language();

async function load() {
  const [schools, profile] = await Promise.all([
    api("/schools", { auth: false }),
    api("/students/me").catch((error) => {
      if (error.code === "profile_missing") return null;
      throw error;
    }),
  ]);
  schoolOptions(form.elements.school_id, schools, profile?.school_id);
  if (!profile) return null;
  document.getElementById("profile-heading").textContent = t("profile.your_profile");
  const intro = document.getElementById("profile-intro");
  intro.replaceChildren(
    t("profile.your_sers_id_is"), " ", h("strong", { translate: "no" }, profile.sers_id), " ",
    t("profile.identity_fixed"),
  );
  fillForm(form, profile);
  if (!profile.guardian_language) form.elements.guardian_language.value = profile.language;
  document.getElementById("guardian-stopped").hidden = !profile.guardian_email || profile.guardian_copies;
  for (const name of IDENTITY) form.elements[name].disabled = true;
  document.getElementById("profile-submit").textContent = t("profile.save_changes");
  return profile;
}

let existing = null;
// load() takes a missing profile as the form to complete, so this page never sends itself here.
if (await startPage("student", async () => { existing = await load(); })) {
  onSubmit(form, async (data) => {
    if (existing) {
      const changes = Object.fromEntries(Object.entries(data).filter(([name]) => CHANGEABLE.includes(name)));
      for (const name of CLEARABLE) {
        if (!(name in changes) && existing[name]) changes[name] = null;
      }
      // A guardian's language goes with a guardian's email.
      if (!changes.guardian_email) delete changes.guardian_language;
      existing = await api("/students/me", { method: "PATCH", body: changes });
      document.getElementById("guardian-stopped").hidden =
        !existing.guardian_email || existing.guardian_copies;
      showStatus(form, t("profile.saved"));
    } else {
      await api("/students/me", { method: "POST", body: data });
      location.assign("/dashboard/?welcome=1");
    }
  });
}
ready();
