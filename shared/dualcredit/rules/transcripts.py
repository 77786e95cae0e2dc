"""Transcript batches: what a college's next batch holds.

Staff send earned credit to each college in batches. The first batch of a college and
school year holds every credit to send; a later batch holds only what is new or changed
since the batches before it, each line marked:

- new: a credit not sent before (or sent, withdrawn, and to send again);
- corrected: a credit sent before whose exported fields changed (a name or birth date
  corrected, a grade changed that still earns credit, another college course code);
- withdrawn: a credit sent before that is no longer to send (the grade was corrected
  below the threshold, the fee's payment voided, the school said the student is not in
  the class), so the college takes it back off.

A line is keyed by whatever identifies one credit (the app uses the registration:
student and offering); its fields are the exported values, compared as a whole. Which
credits are to send at all is `rules.credit_is_sent` (grade earns credit, fee paid or
waived, not marked out of the class).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["BatchLine", "LineMark", "SentLine", "sent_state", "transcript_delta"]


class LineMark(StrEnum):
    NEW = "new"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


type Fields = Mapping[str, object]


@dataclass(frozen=True)
class SentLine:
    """A credit as the batches so far left it with the college: its last exported
    fields, and whether the last batch that named it withdrew it."""

    fields: Fields
    withdrawn: bool = False


@dataclass(frozen=True)
class BatchLine[K: Hashable]:
    """One line of a batch: the credit's key, its mark and the fields exported (for a
    withdrawn credit, the fields the college was last sent, so it finds the record)."""

    key: K
    mark: LineMark
    fields: Fields


def transcript_delta[K: Hashable](
    to_send: Mapping[K, Fields], sent: Mapping[K, SentLine]
) -> list[BatchLine[K]]:
    """The next batch: each credit to send that the college does not hold as it is now
    (new or corrected), and each credit the college holds that is no longer to send
    (withdrawn). An empty list when nothing changed: sending the same state twice adds
    nothing. New and corrected lines come in `to_send`'s order, then the withdrawn ones in
    `sent`'s order."""
    lines: list[BatchLine[K]] = []
    for key, fields in to_send.items():
        before = sent.get(key)
        if before is None or before.withdrawn:
            lines.append(BatchLine(key, LineMark.NEW, dict(fields)))
        elif dict(before.fields) != dict(fields):
            lines.append(BatchLine(key, LineMark.CORRECTED, dict(fields)))
    for key, held in sent.items():
        if not held.withdrawn and key not in to_send:
            lines.append(BatchLine(key, LineMark.WITHDRAWN, dict(held.fields)))
    return lines


def sent_state[K: Hashable](batches: Iterable[Iterable[BatchLine[K]]]) -> dict[K, SentLine]:
    """What the college holds after `batches`, oldest first: for each credit any batch
    named, the fields of the last line naming it and whether that line withdrew it."""
    state: dict[K, SentLine] = {}
    for batch in batches:
        for line in batch:
            state[line.key] = SentLine(
                fields=dict(line.fields), withdrawn=line.mark is LineMark.WITHDRAWN
            )
    return state
