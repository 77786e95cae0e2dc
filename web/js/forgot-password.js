import { confirmForgotPassword, forgotPassword } from "./auth.js";
import { onSubmit, requireFields } from "./forms.js";
import { ready } from "./page.js";

let email = "";

onSubmit(document.getElementById("forgot-form"), async (data) => {
  requireFields(data, { email: "Enter your email address." });
  await forgotPassword(data.email);
  email = data.email;
  document.getElementById("reset-email").textContent = email;
  document.getElementById("step-email").hidden = true;
  document.getElementById("step-reset").hidden = false;
  document.getElementById("reset-heading").focus();
}, { busyLabel: "Sending…" });

onSubmit(document.getElementById("reset-form"), async (data) => {
  requireFields(data, { code: "Enter the code from the email.", password: "Choose a new password." });
  await confirmForgotPassword(email, data.code, data.password);
  location.assign(`/signin/?reset=1&email=${encodeURIComponent(email)}`);
});
ready();
