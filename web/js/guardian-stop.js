// A parent's or guardian's stop link: /guardian-stop/#token=... (a fragment never
// reaches a server's logs). Nothing stops until they press the button, so a mail
// scanner that opens the link changes nothing.
import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { ready, showPage } from "./page.js";

await loadCatalogs("guardian_stop");
showPage();

const form = document.getElementById("stop-form");
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
onSubmit(form, async () => {
  await api("/guardian-copies/stop", { method: "POST", body: { token }, auth: false });
  form.querySelector("button").hidden = true;
  showStatus(form, t("guardian_stop.stopped"));
}, { busyLabel: t("guardian_stop.stopping") });
ready();
