import { confirmSignUp, resendCode, signIn, signUp } from "./auth.js";
import { clearErrors, onSubmit, requireFields, showErrors, showStatus, whileBusy } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { ready, showPage } from "./page.js";

await loadCatalogs("signup");
showPage();

const accountStep = document.getElementById("step-account");
const confirmStep = document.getElementById("step-confirm");
const signupForm = document.getElementById("signup-form");
const confirmForm = document.getElementById("confirm-form");
// The password stays in this page's memory only, to sign in right after confirming.
const pending = { email: "", password: "" };

function showConfirmStep(email) {
  pending.email = email;
  document.getElementById("confirm-email").textContent = email;
  accountStep.hidden = true;
  confirmStep.hidden = false;
  document.getElementById("step-confirm-heading").focus();
}

onSubmit(signupForm, async (data) => {
  requireFields(data, { email: t("signup.email_missing"), password: t("signup.password_missing") });
  await signUp(data.email, data.password);
  pending.password = data.password;
  showConfirmStep(data.email);
}, { busyLabel: t("signup.creating_account") });

onSubmit(confirmForm, async (data) => {
  requireFields(data, { code: t("signup.code_missing") });
  await confirmSignUp(pending.email, data.code);
  if (pending.password) {
    await signIn(pending.email, pending.password);
    location.assign("/profile/");
  } else {
    location.assign(`/signin/?confirmed=1&email=${encodeURIComponent(pending.email)}`);
  }
}, { busyLabel: t("signup.checking") });

const resend = document.getElementById("resend");
resend.addEventListener("click", () => whileBusy(resend, t("signup.sending"), async () => {
  clearErrors(confirmForm);
  try {
    await resendCode(pending.email);
    showStatus(confirmForm, t("signup.code_sent", { email: pending.email }));
  } catch (error) {
    showErrors(confirmForm, error);
  }
}));

// Coming from sign-in with an account whose email is not verified yet.
const confirmEmail = new URLSearchParams(location.search).get("confirm");
if (confirmEmail) showConfirmStep(confirmEmail);
ready();
