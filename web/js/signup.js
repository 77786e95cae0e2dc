import { confirmSignUp, resendCode, signIn, signUp } from "./auth.js";
import { clearErrors, onSubmit, requireFields, showErrors, showStatus, whileBusy } from "./forms.js";
import { ready } from "./page.js";

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
  requireFields(data, { email: "Enter your email address.", password: "Choose a password." });
  await signUp(data.email, data.password);
  pending.password = data.password;
  showConfirmStep(data.email);
}, { busyLabel: "Creating account…" });

onSubmit(confirmForm, async (data) => {
  requireFields(data, { code: "Enter the code from the email." });
  await confirmSignUp(pending.email, data.code);
  if (pending.password) {
    await signIn(pending.email, pending.password);
    location.assign("/profile/");
  } else {
    location.assign(`/signin/?confirmed=1&email=${encodeURIComponent(pending.email)}`);
  }
}, { busyLabel: "Checking…" });

const resend = document.getElementById("resend");
resend.addEventListener("click", () => whileBusy(resend, "Sending…", async () => {
  clearErrors(confirmForm);
  try {
    await resendCode(pending.email);
    showStatus(confirmForm, `We sent a new code to ${pending.email}.`);
  } catch (error) {
    showErrors(confirmForm, error);
  }
}));

// Coming from sign-in with an account whose email is not verified yet.
const confirmEmail = new URLSearchParams(location.search).get("confirm");
if (confirmEmail) showConfirmStep(confirmEmail);
ready();
