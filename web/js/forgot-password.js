import { confirmForgotPassword, forgotPassword } from "./auth.js";
import { onSubmit, requireFields } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { ready, showPage } from "./page.js";

await loadCatalogs("forgot_password");
showPage();

let email = "";

onSubmit(document.getElementById("forgot-form"), async (data) => {
  requireFields(data, { email: t("forgot_password.email_missing") });
  await forgotPassword(data.email);
  email = data.email;
  document.getElementById("reset-email").textContent = email;
  document.getElementById("step-email").hidden = true;
  document.getElementById("step-reset").hidden = false;
  document.getElementById("reset-heading").focus();
}, { busyLabel: t("forgot_password.sending") });

onSubmit(document.getElementById("reset-form"), async (data) => {
  requireFields(data, { code: t("forgot_password.code_missing"), password: t("forgot_password.password_missing") });
  await confirmForgotPassword(email, data.code, data.password);
  location.assign(`/signin/?reset=1&email=${encodeURIComponent(email)}`);
});
ready();
