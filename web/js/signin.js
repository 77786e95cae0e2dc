import { answerTotp, currentUser, finishTotpSetup, homeFor, setNewPassword, signIn, startTotpSetup, totpUri } from "./auth.js";
import { onSubmit, requireFields } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { ready, showPage } from "./page.js";

await loadCatalogs("signin");
showPage();

const params = new URLSearchParams(location.search);
const form = document.getElementById("signin-form");
const notice = document.getElementById("signin-notice");
const challenge = { email: "", session: "", clientId: null };
const STEPS = ["step-signin", "step-new-password", "step-totp-setup", "step-totp"];

if (params.get("email")) form.elements.email.value = params.get("email");
if (params.get("confirmed")) notice.textContent = t("signin.email_verified");
if (params.get("reset")) notice.textContent = t("signin.password_changed");

/** Only a path on this site, never another origin. */
function nextPage(user) {
  const next = params.get("next") || "";
  const local = /^\/(?![\/\\])/.test(next) && !next.startsWith("/signin");
  return local ? next : homeFor(user);
}

function show(step, heading) {
  for (const id of STEPS) document.getElementById(id).hidden = id !== step;
  document.getElementById(heading).focus();
}

/** The step Cognito asks for next, or the page the user is going to. */
async function proceed(answer) {
  if (!answer.challenge) {
    location.assign(nextPage(currentUser()));
    return;
  }
  challenge.session = answer.session;
  challenge.clientId = answer.clientId;
  if (answer.challenge === "NEW_PASSWORD_REQUIRED") {
    show("step-new-password", "new-password-heading");
  } else if (answer.challenge === "MFA_SETUP") {
    const setup = await startTotpSetup(answer.session);
    challenge.session = setup.session;
    document.getElementById("totp-secret").textContent = setup.secret;
    const link = document.getElementById("totp-uri");
    link.href = totpUri(setup.secret, challenge.email);
    link.textContent = totpUri(setup.secret, challenge.email);
    show("step-totp-setup", "totp-setup-heading");
  } else {
    show("step-totp", "totp-heading");
  }
}

function requireCode(data) {
  requireFields(data, { code: t("signin.code_missing") });
  data.code = data.code.replace(/\s+/g, "");
}

onSubmit(form, async (data) => {
  requireFields(data, { email: t("signin.email_missing"), password: t("signin.password_missing") });
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
  challenge.email = data.email;
  await proceed(answer);
}, { busyLabel: t("signin.signing_in") });

onSubmit(document.getElementById("new-password-form"), async (data) => {
  requireFields(data, { password: t("signin.new_password_missing") });
  await proceed(await setNewPassword(challenge.email, data.password, challenge.session, challenge.clientId));
});

onSubmit(document.getElementById("totp-setup-form"), async (data) => {
  requireCode(data);
  await proceed(await finishTotpSetup(challenge.email, data.code, challenge.session, challenge.clientId));
});

onSubmit(document.getElementById("totp-form"), async (data) => {
  requireCode(data);
  await proceed(await answerTotp(challenge.email, data.code, challenge.session, challenge.clientId));
});
ready();
