"""The words that go into an email's values (a payment method, an outcome, a next step),
in each language, as string.Template texts. Every phrase has both languages
(tests/unit/test_mail.py checks their values match)."""

from __future__ import annotations

from string import Template

from dualcredit.i18n import Language

PHRASES: dict[str, dict[Language, str]] = {
    "method.card": {"en": "card", "es": "tarjeta"},
    "method.check": {"en": "check", "es": "cheque"},
    "method.money_order": {"en": "money order", "es": "giro postal"},
    "method.payment": {"en": "Payment", "es": "Pago"},
    "method.Check": {"en": "Check", "es": "Cheque"},
    "method.Money order": {"en": "Money order", "es": "Giro postal"},
    "reminder.tomorrow": {"en": "tomorrow", "es": "mañana"},
    "reminder.in_days": {"en": "in $days days", "es": "en $days días"},
    "reminder.deadline": {
        "en": "$date, 11:59 pm Pacific time",
        "es": "$date, 11:59 p. m., hora del Pacífico",
    },
    "outcome.approved": {"en": "approved", "es": "aprobada"},
    "outcome.denied": {"en": "denied", "es": "denegada"},
    "decision.waiver": {"en": "a fee waiver for $year", "es": "exención de la cuota de $year"},
    "decision.prior_year": {
        "en": "prior-year credit for $course ($year)",
        "es": "crédito de un año anterior para $course ($year)",
    },
    "decision.waiver_approved": {
        "en": "Nothing is due for that school year.",
        "es": "No hay nada que pagar para ese año escolar.",
    },
    "decision.waiver_denied": {
        "en": "The $fee fee is due; pay by card with your SERS ID, or by check.",
        "es": "Debe pagar la cuota de $fee; pague con tarjeta con su SERS ID, o con cheque.",
    },
    "decision.prior_year_due": {
        "en": "$amount is due for $year, including the late fee. "
        "You can pay it by card at any time, or by check.",
        "es": "Debe pagar $amount para $year, con el recargo por pago tardío incluido. "
        "Puede pagarlo con tarjeta en cualquier momento, o con cheque.",
    },
    "decision.nothing_more": {"en": "Nothing more is needed.", "es": "No necesita hacer nada más."},
    "decision.questions": {
        "en": "Email info@PNWcollegecredit.org with any questions.",
        "es": "Si tiene preguntas, escriba a info@PNWcollegecredit.org.",
    },
    "voided.due_again": {
        "en": "The fee for $year is due again: $amount.",
        "es": "La cuota de $year vuelve a estar pendiente: $amount.",
    },
    "voided.nothing_due": {
        "en": "Nothing is due for $year now.",
        "es": "Por ahora no hay nada que pagar para $year.",
    },
    "registration.class": {
        "en": "$course with $teacher: $college $code $title, $credits credits",
        "es": "$course con $teacher: $college $code $title, $credits créditos",
    },
}


def phrase(key: str, language: Language, **values: object) -> str:
    """The phrase `key` in `language`, its values filled in."""
    return Template(PHRASES[key][language]).substitute({k: str(v) for k, v in values.items()})
