// How to pay by check or money order, and the program's fee and grade rule: the words
// are in the fees catalog, the payee, address and amounts come from the API (settings).
import { loadCatalogs, t } from "./i18n.js";
import { h, money } from "./page.js";

await loadCatalogs("fees");

/** The program's facts (GET /program), or null when they cannot be loaded. */
export async function loadProgram(api) {
  try {
    return await api("/program", { auth: false });
  } catch {
    return null;
  }
}

/** "Make the check or money order out to …, mail it to …, write the SERS ID on it." */
export function checkHow(program, sersId) {
  const check = program.check;
  return h("div", { class: "check-how" },
    h("p", {}, t("fees.check_intro")),
    h("dl", { class: "facts" },
      h("dt", {}, t("fees.check_payee")), h("dd", { translate: "no", class: "check-payee" }, check.payee),
      h("dt", {}, t("fees.check_address")),
      h("dd", { class: "check-address" },
        h("address", { translate: "no" }, check.mailing_address.flatMap((line, i) => (i ? [h("br"), line] : [line]))))),
    h("p", { class: "check-memo" }, sersId
      ? t("fees.check_memo_id", { sers_id: sersId })
      : t("fees.check_memo")));
}

/** The fee, what it covers, the grade rule: stated before a student registers. */
export function feeStatement(program) {
  return t("fees.statement", {
    fee: money(program.fee_cents),
    late_fee: money(program.late_fee_cents),
    grade: program.grade_threshold,
  });
}
