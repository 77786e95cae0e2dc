import { api } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { ready, showPage } from "./page.js";

await loadCatalogs("recover");
showPage();

const form = document.getElementById("recover-form");
onSubmit(form, async (data) => {
  requireFields(data, { email: t("recover.email_missing") });
  const answer = await api("/sers-id/recovery", { method: "POST", body: { email: data.email }, auth: false });
  showStatus(form, answer.message);
}, { busyLabel: t("recover.sending") });
ready();
