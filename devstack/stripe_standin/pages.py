"""The test checkout pages, standing in for Stripe Checkout's hosted page (server
mode only): GET /checkout/{id} shows the order and a Pay button; POST
/checkout/{id}/pay completes the session (303 to success_url); POST
/checkout/{id}/pay-by-bank completes it unpaid, a bank payment on its way (303 to
success_url), and the page of such a session then offers POST
/checkout/{id}/bank-succeeds and /bank-fails (async_payment_succeeded or _failed);
POST /checkout/{id}/cancel goes back (303 to cancel_url)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from devstack.stripe_standin.errors import StandInError
from devstack.stripe_standin.parameters import format_amount
from devstack.stripe_standin.state import Store

#: (status, headers, body) of a page.
Page = tuple[int, dict[str, str], bytes]

_NOT_FOUND = "<p>There is no checkout session with this address.</p>"


class CheckoutPages(Store):
    """The checkout pages of the store's sessions."""

    def answer_page(self, method: str, path: str) -> Page:
        """The test checkout page at `path`: (status, headers, body)."""
        match method, path.strip("/").split("/"):
            case "GET", ["checkout", session_id]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(404, "Checkout not found", _NOT_FOUND)
                    self._lapse(session)
                    return _checkout_page(session, self._line_items[session_id])
            case "POST", ["checkout", session_id, ("pay" | "pay-by-bank") as how]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(404, "Checkout not found", _NOT_FOUND)
                    self._lapse(session)
                    if session["status"] != "open":
                        status, headers, body = _checkout_page(session, [])
                        return 409, headers, body
                    # A bank account (ACH) completes the session unpaid, as at Stripe.
                    self._pay(session_id, how == "pay-by-bank")
                    target = session["success_url"]
                if target:
                    return _redirect(target, session_id)
                return _html(
                    200,
                    "Payment complete",
                    "<p>Your payment is complete. You can close this page.</p>",
                )
            case "POST", ["checkout", session_id, ("bank-succeeds" | "bank-fails") as outcome]:
                # What the bank says days later (test mode's "simulate" buttons).
                with self._lock:
                    if session_id not in self.sessions:
                        return _html(404, "Checkout not found", _NOT_FOUND)
                    try:
                        session = self._async_settle(session_id, outcome == "bank-succeeds")
                    except StandInError as error:
                        return _html(409, "No bank payment is waiting", f"<p>{error.message}</p>")
                return _checkout_page(session, [])
            case "POST", ["checkout", session_id, "cancel"]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(404, "Checkout not found", _NOT_FOUND)
                    target = session["cancel_url"]
                if target:
                    return _redirect(target, session_id)
                return _html(
                    200, "Payment cancelled", "<p>You did not pay. You can close this page.</p>"
                )
        return _html(404, "Not found", "<p>There is nothing at this address.</p>")


def _redirect(target: str, session_id: str) -> Page:
    return 303, {"Location": target.replace("{CHECKOUT_SESSION_ID}", session_id)}, b""


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; background: #f6f8fa; color: #1a1f36; line-height: 1.5; }
main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff;
       border: 1px solid #d0d7de; border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.5rem 0.75rem;
        font-size: 0.9rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 0.4rem 0; border-bottom: 1px solid #d0d7de; }
td.num, th.num { text-align: right; }
tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; flex-wrap: wrap; }
.actions form { margin: 0; }
button { font: inherit; font-weight: 600; padding: 0.6rem 1.25rem; border-radius: 6px;
         cursor: pointer; border: 2px solid #1a1f36; }
button.pay { background: #0a2540; color: #fff; border-color: #0a2540; }
button.cancel { background: #fff; color: #1a1f36; }
button:hover { filter: brightness(1.1); }
button:focus-visible, a:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
a { color: #0969da; }
"""

_NOTE = "Test mode: a local stand-in for Stripe Checkout. No card is charged."

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Test checkout</title>
<style>{css}</style>
</head>
<body>
<main>
<p class="note" role="note">{note}</p>
<h1>{title}</h1>
{content}
</main>
</body>
</html>
"""

_SUMMARY = """<section aria-labelledby="summary">
<h2 id="summary">Order summary</h2>
<table aria-labelledby="summary">
<thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><th scope="row" colspan="2">Total</th><td class="num">{total}</td></tr></tfoot>
</table>
{details}
</section>
<div class="actions">
{pay}
{cancel}
</div>"""

_HEAD = (
    '<th scope="col">Item</th><th scope="col" class="num">Qty</th>'
    '<th scope="col" class="num">Amount</th>'
)
_FORM = '<form method="post" action="/checkout/{id}/{action}">{button}</form>'


def _html(status: int, title: str, content: str) -> Page:
    page = _PAGE.format(title=html.escape(title), css=_CSS, note=_NOTE, content=content)
    return (
        status,
        {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
        page.encode("utf-8"),
    )


def _checkout_page(session: Mapping[str, Any], items: list[dict[str, Any]]) -> Page:
    session_id = session["id"]
    quoted = html.escape(session_id, quote=True)
    if session["status"] == "expired":
        back = _link(session.get("cancel_url"), session_id, "Return to the site")
        return _html(
            200,
            "This checkout session has expired",
            f"<p>This payment page is no longer valid. Start the payment again from "
            f"the site.</p>{back}",
        )
    if session["status"] == "complete":
        back = _link(session.get("success_url"), session_id, "Return to the site")
        if session.get("payment_status") == "unpaid":
            quoted_id = html.escape(session_id, quote=True)
            simulate = "".join(
                _FORM.format(id=quoted_id, action=action, button=f"<button>{words}</button>")
                for action, words in (
                    ("bank-succeeds", "The bank pays"),
                    ("bank-fails", "The bank refuses"),
                )
            )
            return _html(
                200,
                "This bank payment is processing",
                f"<p>The bank has not confirmed this payment yet. In test mode you decide "
                f'what the bank says:</p><div class="actions">{simulate}</div>{back}',
            )
        return _html(
            200,
            "This checkout session is already complete",
            f"<p>This payment has already been made.</p>{back}",
        )
    currency = session["currency"]
    total = format_amount(session["amount_total"], currency)
    rows = "\n".join(
        f"<tr><td>{html.escape(item['description'])}</td>"
        f'<td class="num">{item["quantity"]}</td>'
        f'<td class="num">{format_amount(item["amount_total"], currency)}</td></tr>'
        for item in items
    )
    content = _SUMMARY.format(
        head=_HEAD,
        rows=rows,
        total=total,
        details=_details(session),
        pay=_FORM.format(
            id=quoted,
            action="pay",
            button=f'<button type="submit" class="pay">Pay {total}</button>',
        )
        + _FORM.format(
            id=quoted,
            action="pay-by-bank",
            button='<button type="submit" class="cancel">Use a bank account</button>',
        ),
        cancel=_FORM.format(
            id=quoted,
            action="cancel",
            button='<button type="submit" class="cancel">Cancel</button>',
        ),
    )
    title = f"Pay {total}"
    if len(items) == 1:
        title += f" for {items[0]['description']}"
    return _html(200, title, content)


def _details(session: Mapping[str, Any]) -> str:
    """Who is paying: the SERS ID (or reference) and the email, as a <dl>."""
    details = []
    metadata = session.get("metadata") or {}
    if metadata.get("sers_id"):
        details.append(("SERS ID", metadata["sers_id"]))
    elif session.get("client_reference_id"):
        details.append(("Reference", session["client_reference_id"]))
    if session.get("customer_email"):
        details.append(("Email", session["customer_email"]))
    if not details:
        return ""
    return (
        "<dl>"
        + "".join(
            f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>" for name, value in details
        )
        + "</dl>"
    )


def _link(url: str | None, session_id: str, text: str) -> str:
    if not url:
        return ""
    href = html.escape(url.replace("{CHECKOUT_SESSION_ID}", session_id), quote=True)
    return f'<p><a href="{href}">{html.escape(text)}</a></p>'
