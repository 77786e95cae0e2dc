// The fee, what it covers and the grade rule, stated before a student registers (the home
// and class pages): the words from the fees catalog, the amounts and grade from GET /program.
import { api } from "./api.js";
import { feeStatement, loadProgram } from "./check-payment.js";
import { t } from "./i18n.js";

const section = document.getElementById("fee-statement");
const program = section ? await loadProgram(api) : null;
if (section && program) {
  section.querySelector("h2").textContent = t("fees.statement_heading");
  section.querySelector("p").textContent = feeStatement(program);
  section.hidden = false;
}
