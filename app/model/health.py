"""A pack-health diagnosis: findings in sentences, and the thresholds they rest on.

A family that knows how workshops judge its packs (the Xiaomi battery guide)
gives its ``Family.health`` a ``HealthGuide``: one table of thresholds, each
with the sentence of the source it comes from, and a ``diagnose`` function that
turns what the board reported into findings.  A finding is a sentence template
marked for translation (context "PackHealth") and the numbers that fill it, so
the GUI translates first and formats after, and the CLI or a test reads the
English.

Pure: no Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: how a finding reads, from good to bad
OK, INFO, WARN, BAD = "ok", "info", "warn", "bad"
LEVELS = (OK, INFO, WARN, BAD)


@dataclass(frozen=True)
class Threshold:
    """One number a diagnosis compares with, and where it comes from."""

    id: str
    value: float
    unit: str
    #: what crossing it means (a phrase marked for translation, context "PackHealth")
    meaning: str
    #: the sentence of the source the number comes from (marked too)
    source: str
    #: which source and section (marked too)
    where: str


@dataclass(frozen=True)
class Finding:
    """One sentence of the diagnosis: ``text`` is a template with ``{names}``."""

    id: str
    level: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    #: the ids of the thresholds this finding compared against
    thresholds: tuple[str, ...] = ()
    #: which pack it is about, for a bus with more than one (0: the one connected to)
    pack: int = 0

    def sentence(self, localise: Callable[[str], str] = lambda t: t) -> str:
        """The sentence in words: the template translated (``localise``), then filled in."""
        return localise(self.text).format(**self.values)


@dataclass(frozen=True)
class HealthGuide:
    """A family's pack-health page: its thresholds and how it diagnoses."""

    #: the page's heading (marked for translation, context "PackHealth")
    title: str
    #: what the diagnosis rests on, one line (marked too)
    source: str
    thresholds: tuple[Threshold, ...]
    #: ``diagnose(snapshot, device_info, settings) -> [Finding]``; any argument may be None
    diagnose: Callable[..., list[Finding]]

    def threshold(self, threshold_id: str) -> Threshold:
        return next(t for t in self.thresholds if t.id == threshold_id)


__all__ = ["BAD", "INFO", "LEVELS", "OK", "WARN", "Finding", "HealthGuide", "Threshold"]
