"""Respecting a review's sharing scope in the partnership view and its reports.

The host school decides who sees its review (``Sharing``). Outside the review itself:

- the **coordinator's view** (the partnership view on screen, the coordinator's own CSVs) may quote
  and name reviews shared with the coordinator or with the whole partnership;
- the **partnership** (the partnership report, for the board) may quote and name only reviews
  shared with the whole partnership;
- the **anonymous** summary may quote reviews shared with the whole partnership, with every school's
  name taken out, and names no school.

A review kept to the host school is never quoted or named outside it: it is only counted.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from peerreview.review.reviews import Sharing


class Audience(enum.Enum):
    COORDINATOR = "coordinator"
    PARTNERSHIP = "partnership"
    ANONYMOUS = "anonymous"


def _sharing(value: object) -> Sharing:
    return Sharing.of(value) or Sharing.HOST  # unknown: the most private


def may_quote(sharing: object, audience: Audience) -> bool:
    """True when a review's narrative (EBIs, strengths, findings) may appear for ``audience``."""
    scope = _sharing(sharing)
    if scope is Sharing.PARTNERSHIP:
        return True
    return scope is Sharing.HOST_COORDINATOR and audience is Audience.COORDINATOR


def may_name(sharing: object, audience: Audience) -> bool:
    """True when the school may be named beside its review's narrative for ``audience``."""
    return audience is not Audience.ANONYMOUS and may_quote(sharing, audience)


def scrub(text: str, names: Iterable[str]) -> str:
    """``text`` with every school's name (and the name without "School", "Academy"...) replaced by
    "the school", for the anonymous summary."""
    out = text
    variants: set[str] = set()
    for name in names:
        name = name.strip()
        if len(name) < 4:
            continue
        variants.add(name)
        short = re.sub(
            r"\s+(Primary School|Secondary School|School|Academy|College|Infant School|"
            r"Junior School|Primary Academy)\b.*$",
            "",
            name,
        ).strip(" ,")
        if len(short) >= 6 and short != name:
            variants.add(short)
    for variant in sorted(variants, key=len, reverse=True):
        out = re.sub(re.escape(variant), "the school", out, flags=re.IGNORECASE)
    return out
