import { api } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { ready } from "./page.js";

const form = document.getElementById("recover-form");
onSubmit(form, async (data) => {
  requireFields(data, { email: "Enter the email address of the account." });
  const answer = await api("/sers-id/recovery", { method: "POST", body: { email: data.email }, auth: false });
  showStatus(form, answer.message);
}, { busyLabel: "Sending…" });
ready();
