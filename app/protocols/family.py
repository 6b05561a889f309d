"""A protocol family as a plug-in: its descriptor, and the registry that finds them all.

A family is one package ``app/protocols/<family>/`` whose ``__init__`` exposes
``FAMILY = Family(...)`` (design.md, "A protocol family, as a plug-in").  The
registry imports every package under ``app/protocols/`` (``pkgutil`` over the
package path: there is no list to edit), so the shared code — decode
auto-detection, the Bluetooth scan and the fake BLE backend, settings files,
the interlocks, presets, labels, the session's hints and the Connection help —
loops over ``families()`` and never names a family.

What stays on ``Protocol`` (one object per protocol id, base.py) stays there:
transports, default baud, polled or streaming, GATT UUIDs, the password check,
the Control tab's capabilities (actions, calibration, emergency, remaining
capacity, board password).  The descriptor carries the family-wide rest and
points to its protocols.

Pure: no Qt, no I/O (the texts below are marked for translation by name only).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Message
from ..model.health import HealthGuide
from .base import Protocol


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


#: (rule number of shared/presets.md, key that must be lower, key that must be higher)
Relation = tuple[int, str, str]
#: (handle, uuid, properties) of one characteristic, as a module lays it out
Characteristic = tuple[int, str, tuple[str, ...]]


@dataclass(frozen=True)
class GattLayout:
    """One GATT layout a family's Bluetooth modules present."""

    service: str
    notify: str
    write: str
    #: the characteristics with their handles, as the fake BLE backend presents them
    characteristics: tuple[Characteristic, ...] = ()
    #: picks this layout in a ``PACKBENCH_FAKE_BLE`` spec (``?layout=<name>`` or ``?gatt=<name>``)
    name: str = ""
    #: the first three bytes of the address modules of this layout advertise
    #: (``"C8:47:8C"``), for the fake BLE backend's default address; "" for none known
    address_prefix: str = ""


@dataclass(frozen=True)
class Ble:
    """How a scan recognises a board of the family, and how its modules look on the air."""

    #: the usual layout first; the others are alternatives some modules use
    layouts: tuple[GattLayout, ...]
    #: advertised local names (compared in upper case)
    name_prefixes: tuple[str, ...] = ()
    #: company ids of the advertised manufacturer data
    company_ids: tuple[int, ...] = ()
    #: advertised service UUIDs, as lower-case prefixes (``"0000ffe0"``)
    service_prefixes: tuple[str, ...] = ()
    #: what the scan adds to ``ble://ADDRESS`` (e.g. ``?protocol=jbd``)
    url_options: str = ""
    #: (company id, bytes before the MAC) a board advertises as manufacturer data
    advertised: tuple[int, bytes] | None = None
    #: the advertised name of the family's simulated board (fake BLE backend)
    sim_name: str = "BMS-SIM"

    def score(self, name: str, company_ids: Iterable[int], uuids: Iterable[str]) -> int:
        """How sure an advertisement is of this family: 3 its company id, 2 its name, 1 its
        service, 0 not at all.  A name beats a service: cheap modules of several families
        share the 16-bit services (FFF0 is JBD's and Daly's, jbd_daly.md §1.2, §6.2)."""
        if any(cid in self.company_ids for cid in company_ids):
            return 3
        if self.name_prefixes and name.upper().startswith(self.name_prefixes):
            return 2
        if any(u.lower().startswith(self.service_prefixes) for u in uuids) and self.service_prefixes:
            return 1
        return 0

    def layout(self, name: str = "") -> GattLayout:
        """The layout ``name`` picks (the usual one for "" or an unknown name)."""
        return next((g for g in self.layouts if name and g.name == name), self.layouts[0])


@dataclass(frozen=True)
class VendorFormat:
    """A vendor's settings file format that a family reads and writes (JBD's ``.fig``)."""

    suffix: str  # lower case, with the dot
    protocol: str  # the protocol id whose settings its files hold
    #: whose settings, in words: "… files hold {holds} settings"
    holds: str
    #: a file dialog's filter, marked for translation (context "ParametersPage")
    file_filter: str
    #: file text -> canonical values (ValueError in words when it is not one)
    parse: Callable[[str], dict[str, Any]]
    #: canonical values -> file text
    dump: Callable[[Mapping[str, Any]], str]
    #: the text encoding files are written in
    encoding: str = "ascii"


@dataclass(frozen=True)
class Probe:
    """One short question on a link nobody named a protocol for: which of a family's
    protocols (with which URL options) answers it.  The session binds ``protocol`` to
    the URL's options and ``options``, sends ``request`` (None: the bound protocol's
    ``identify_requests``, e.g. with a host address the URL gives) and takes the first
    decoded message ``accepts`` allows, waiting ``timeout_s`` per try, ``retries`` more
    times.  A probe the URL's own options rule out is skipped: one whose ``options``
    the URL sets otherwise (``?address=0x23`` skips a probe at 0x22), or whose protocol
    refuses them (``bind`` raises ValueError)."""

    protocol: str
    options: Mapping[str, str]
    request: bytes | None
    accepts: Callable[[Message], bool]
    timeout_s: float = 0.6
    note: str = ""
    retries: int = 0


@dataclass(frozen=True)
class Family:
    """Everything the shared code needs to know about one protocol family."""

    id: str
    name: str
    #: the Protocol objects the family registers (``protocols.register``), variants included
    protocols: tuple[Protocol, ...]
    #: ``looks_like(frame) -> protocol id | None``: which of its protocols a frame nobody
    #: named is (decode auto-detection); specific (a header, a checksum), never a guess
    #: that would claim another family's frame
    looks_like: Callable[[bytes], str | None]
    #: the headers its frames start with, in words, for "not a frame Packbench knows"
    frame_words: str = ""
    #: the protocol tried when a URL names none (at most one family sets it)
    default_protocol: str | None = None
    ble: Ble | None = None
    #: labels and help texts of the family-prefixed keys (``jk_*``), marked with
    #: ``QT_TRANSLATE_NOOP("Vocabulary", ...)`` so the translations find them
    labels: Mapping[str, str] = field(default_factory=dict)
    help: Mapping[str, str] = field(default_factory=dict)
    vendor_formats: tuple[VendorFormat, ...] = ()
    #: the family's own ordering rules, checked beside the shared ones (interlocks)
    relations: tuple[Relation, ...] = ()
    #: chemistry -> values of family keys that the built-in chemistry presets set
    preset_values: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: one paragraph of the Connection tab's help (context "ConnectionPage")
    connection_help: str = ""
    #: what the session adds when a board of this family did not answer
    no_answer_hint: str = ""
    #: what the session adds when a board did not answer another family's protocol that
    #: was tried without being asked for ("For a … board choose the … protocol.")
    choose_hint: str = ""
    #: ``reseal(frame) -> frame`` with its checksum(s) made right again after bytes of its
    #: body changed (the contract test fuzzes the decoders past the checksum with it)
    reseal: Callable[[bytes], bytes] | None = None
    #: ``probes(link) -> questions`` for a link ("serial" or "ble") where nobody chose
    #: the protocol: asked in order, the first answer tells which of the family's
    #: protocols the board speaks (None: its boards say it themselves, or cannot).  Used
    #: for ``?protocol=<family>`` and, on a cable, when "Automatic" gets no answer
    probes: Callable[[str], Sequence[Probe]] | None = None
    #: its own cell-level keys that a chemistry preset scales to the pack (× the cell
    #: count), as the shared ``cell_ovp_v`` -> ``pack_ovp_v``
    pack_levels: Mapping[str, str] = field(default_factory=dict)
    #: URL options that are the family's own (``?host=0x3e``, ``?variant=p81``): taken
    #: off a serial URL before the rest goes to pyserial, and handed to ``Protocol.bind``
    url_options: tuple[str, ...] = ()
    #: what the session says when the family's protocol is asked for over a transport
    #: it does not have (a Bluetooth scan found a board it can only read by cable)
    transport_note: str = ""
    #: the family's pack-health page (model/health.py); None: the page is not shown
    health: HealthGuide | None = None

    @property
    def protocol_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.protocols)

    def capabilities(self) -> dict[str, tuple[str, ...]]:
        """Per protocol id, what its Control tab offers (the hooks on Protocol)."""
        return {p.id: p.control_capabilities() for p in self.protocols}


# --- the registry ----------------------------------------------------------------------------------
_FAMILIES: dict[str, Family] = {}
_LOADED = False


def load_all() -> None:
    """Import every package under ``app/protocols/`` once; each family registers its
    protocols on import and exposes ``FAMILY``.  A direct import of one family never
    hides the others."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True  # first, so a family that asks the registry while it loads ends no loop
    package = __name__.rpartition(".")[0]
    try:
        # the package's search path (its folder; a test may add one with a family of its own)
        for info in sorted(pkgutil.iter_modules(sys.modules[package].__path__), key=lambda m: m.name):
            if not info.ispkg:
                continue
            module = importlib.import_module(f"{package}.{info.name}")
            fam = getattr(module, "FAMILY", None)
            if isinstance(fam, Family):
                _FAMILIES[fam.id] = fam
    except BaseException:
        _LOADED = False
        raise


def families() -> list[Family]:
    """Every family, ordered by id."""
    load_all()
    return [_FAMILIES[k] for k in sorted(_FAMILIES)]


def get_family(family_id: str) -> Family:
    load_all()
    try:
        return _FAMILIES[family_id]
    except KeyError:
        raise KeyError(
            f"unknown protocol family {family_id!r}; known: {', '.join(sorted(_FAMILIES))}"
        ) from None


def family_of(protocol: Protocol | str) -> Family | None:
    """The family a protocol (or protocol id) belongs to."""
    pid = protocol if isinstance(protocol, str) else protocol.id
    return next((f for f in families() if pid in f.protocol_ids), None)


def guess(data: bytes, family: str | None = None) -> str | None:
    """The protocol id a frame nobody named belongs to (None: no family claims it)."""
    for fam in families():
        if family in (None, fam.id):
            found = fam.looks_like(data)
            if found is not None:
                return found
    return None


def probing_family(name: str | None) -> Family | None:
    """The family ``name`` is, when it is a family id (not a protocol id) with probes:
    a URL's ``?protocol=<family>`` asks the session to find which of its protocols."""
    if not name:
        return None
    load_all()
    fam = _FAMILIES.get(name.strip().lower())
    return fam if fam is not None and fam.probes is not None else None


def probe_families() -> list[Family]:
    """The families that can find their protocol by asking (``Family.probes``)."""
    return [f for f in families() if f.probes is not None]


def pack_levels() -> dict[str, str]:
    """Every family's own cell-level keys a preset scales to the pack."""
    return {k: v for f in families() for k, v in f.pack_levels.items()}


def default_protocol() -> str:
    """The protocol tried when neither a URL nor a caller names one."""
    for fam in families():
        if fam.default_protocol:
            return fam.default_protocol
    return families()[0].protocols[0].id


def no_answer_hints(protocol: Protocol, forced: bool) -> str:
    """The session's words after "the board did not answer": the protocol's family's
    own hint and, when nobody chose the protocol, how to choose another family."""
    own = family_of(protocol)
    parts = [own.no_answer_hint] if own is not None and own.no_answer_hint else []
    if not forced:
        parts += [f.choose_hint for f in families() if f is not own and f.choose_hint]
    return " ".join(parts)


# --- BLE ---------------------------------------------------------------------------------------------
def ble_match(name: str, company_ids: Iterable[int], uuids: Iterable[str]) -> Family | None:
    """The family an advertisement belongs to, the surest match winning (None: not a board)."""
    cids, ids = list(company_ids), list(uuids)
    best, best_score = None, 0
    for fam in families():
        score = fam.ble.score(name, cids, ids) if fam.ble is not None else 0
        if score > best_score:
            best, best_score = fam, score
    return best


# --- vendor files -------------------------------------------------------------------------------------
def vendor_format(path: str | Path) -> VendorFormat | None:
    """The vendor format a file's name says it is in (None: Packbench's own JSON)."""
    suffix = Path(path).suffix.lower()
    return next((v for f in families() for v in f.vendor_formats if v.suffix == suffix), None)


def vendor_formats(protocol: str | None = None) -> list[VendorFormat]:
    """Every vendor format, or those holding ``protocol``'s settings."""
    return [v for f in families() for v in f.vendor_formats if protocol in (None, v.protocol)]


# --- vocabulary: labels and help of family keys ----------------------------------------------------
_FAMILY_LABELS: dict[str, str] | None = None


def family_labels() -> dict[str, str]:
    """Every family's labels of its own keys (the shared ones are model/labels.py's)."""
    global _FAMILY_LABELS
    if _FAMILY_LABELS is None:
        out: dict[str, str] = {}
        for fam in families():
            for key, text in fam.labels.items():
                out.setdefault(key, text)
        _FAMILY_LABELS = out
    return _FAMILY_LABELS


def label_text(key: str) -> str | None:
    """The English label of a canonical key, the shared vocabulary's first, then a
    family's (None: no label anywhere).  The GUI translates it (context "Vocabulary")."""
    from ..model.labels import LABELS

    return LABELS.get(key) or family_labels().get(key)


def label(key: str) -> str:
    """The English label of a canonical key, shared or a family's (the key when none)."""
    return label_text(key) or key


def help_text(key: str) -> str:
    """The English help text of a canonical key ("" when none)."""
    from ..model.labels import HELP

    if key in HELP:
        return HELP[key]
    return next((f.help[key] for f in families() if key in f.help), "")


def known_keys() -> set[str]:
    """Every key that has a label: the shared vocabulary and every family's own keys."""
    from ..model.labels import LABELS

    return set(LABELS) | set(family_labels())


def url_options() -> frozenset[str]:
    """Every family's own URL options (``Family.url_options``)."""
    return frozenset(o for f in families() for o in f.url_options)


def health_guide(protocol: Protocol | str | None) -> HealthGuide | None:
    """The pack-health page of a protocol's family (None: it has none)."""
    fam = family_of(protocol) if protocol is not None else None
    return fam.health if fam is not None else None


def relations() -> tuple[Relation, ...]:
    """Every family's own ordering rules."""
    return tuple(r for f in families() for r in f.relations)


def preset_values(chemistry: str) -> dict[str, float]:
    """The family keys a built-in chemistry preset sets, for every family."""
    out: dict[str, float] = {}
    for fam in families():
        out.update(fam.preset_values.get(chemistry, {}))
    return out


__all__ = [
    "Ble",
    "Family",
    "GattLayout",
    "Probe",
    "VendorFormat",
    "ble_match",
    "default_protocol",
    "families",
    "family_labels",
    "family_of",
    "get_family",
    "guess",
    "health_guide",
    "help_text",
    "known_keys",
    "label",
    "label_text",
    "load_all",
    "no_answer_hints",
    "pack_levels",
    "preset_values",
    "probe_families",
    "probing_family",
    "relations",
    "url_options",
    "vendor_format",
    "vendor_formats",
]
