import { currentUser, homeFor, setNewPassword, signIn } from "./auth.js";
import { onSubmit, requireFields } from "./forms.js";
import { ready } from "./page.js";

const params = new URLSearchParams(location.search);
const form = document.getElementById("signin-form");
const notice = document.getElementById("signin-notice");
const challenge = { email: "", session: "" };

if (params.get("email")) form.elements.email.value = params.get("email");
if (params.get("confirmed")) notice.textContent = "Your email address is verified. Sign in to continue.";
if (params.get("reset")) notice.textContent = "Your password is changed. Sign in with the new one.";

/** Only a path on this site, never another origin. */
function nextPage(user) {
  const next = params.get("next") || "";
  const local = /^\/(?![\/\\])/.test(next) && !next.startsWith("/signin");
  return local ? next : homeFor(user);
}

onSubmit(form, async (data) => {
  requireFields(data, { email: "Enter your email address.", password: "Enter your password." });
  let answer;
  try {
    answer = await signIn(data.email, data.password);
  } catch (error) {
    if (error.code === "UserNotConfirmedException") {
      location.assign(`/signup/?confirm=${encodeURIComponent(data.email)}`);
      return;
    }
    throw error;
  }
  if (answer.challenge) {
    challenge.email = data.email;
    challenge.session = answer.session;
    document.getElementById("step-signin").hidden = true;
    document.getElementById("step-new-password").hidden = false;
    document.getElementById("new-password-heading").focus();
    return;
  }
  location.assign(nextPage(currentUser()));
}, { busyLabel: "Signing in…" });

onSubmit(document.getElementById("new-password-form"), async (data) => {
  requireFields(data, { password: "Choose a new password." });
  await setNewPassword(challenge.email, data.password, challenge.session);
  location.assign(nextPage(currentUser()));
});
ready();
