"""Translation hygiene: source lint, .ts completeness, .ts freshness.

(a) Every tr()/translate()/QT_TRANSLATE_NOOP() call in app/ passes a plain
    string literal: pyside6-lupdate silently skips variables and records an
    f-string's *template* (which never matches at run time).
    Translate first, then format: ``self.tr("Connected to {name}").format(name=n)``.
(b) Every translations/*.ts is complete: no empty or unfinished <translation>,
    and the same {name} / %n / %1 placeholders as the <source>.
(c) translations/*.ts hold exactly the strings lupdate finds in app/ now
    (refresh them with `make translations`).
(d) ... and every literal string that app/ passes to tr()/translate() is among them: lupdate
    silently skips some calls that ARE literal (inside an f-string, issue 20: "Not recording",
    "lowest cell" … stayed English on the Live tab while (a)-(c) passed), and a string missing
    from the .ts is shown untranslated.

No Qt import here: these tests are plain file checks and run in well under a
second (lupdate included).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
TRANSLATIONS = ROOT / "translations"
# The .ts files the Makefile maintains (LANGS there); every other
# translations/*.ts found is checked as well.
REQUIRED_TS = [TRANSLATIONS / "packbench_zh_CN.ts"]
# Must match LUPDATE_FLAGS in the Makefile, so the comparison is stable.
LUPDATE_FLAGS = ["-no-obsolete", "-locations", "none"]

# A call on a line carrying this comment is exempt from the lint, for a
# deliberate runtime lookup that (a) cannot recognise (see _lookup_ok).
EXEMPT_MARK = "# i18n: lookup"

APPLICATION_CLASSES = {"QCoreApplication", "QGuiApplication", "QApplication"}


def _app_sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def _ts_files() -> list[Path]:
    return sorted(set(TRANSLATIONS.glob("*.ts")) | {p for p in REQUIRED_TS if p.exists()})


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------
# (a) AST lint
# ---------------------------------------------------------------------------


def _is_str_literal(node: ast.AST | None) -> bool:
    # Implicit concatenation ("a" "b") is already one Constant in the AST,
    # and lupdate joins it the same way.
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_literal_or_none(node: ast.AST | None) -> bool:
    return node is None or _is_str_literal(node) or (isinstance(node, ast.Constant) and node.value is None)


def _arg(call: ast.Call, index: int, *names: str) -> ast.AST | None:
    if len(call.args) > index:
        arg = call.args[index]
        return None if isinstance(arg, ast.Starred) else arg
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def _dotted_tail(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _kind(call: ast.Call) -> str | None:
    """Which translation function this call is, or None."""
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}:
            return func.id
        return None
    if isinstance(func, ast.Attribute):
        if func.attr == "tr":
            return "tr"
        # QCoreApplication.translate / QtCore.QCoreApplication.translate /
        # QApplication.translate; not str.translate(table).
        if func.attr == "translate" and _dotted_tail(func.value) in APPLICATION_CLASSES:
            return "translate"
        if func.attr in {"QT_TRANSLATE_NOOP", "QT_TR_NOOP"}:
            return func.attr
    return None


def _string_constants(trees: dict[Path, ast.Module]) -> dict[str, set[str]]:
    """Module-level ``NAME = "literal"`` assignments across app/, by name."""
    consts: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in tree.body:
            targets: list[ast.expr] = []
            value = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            if _is_str_literal(value):
                for t in targets:
                    if isinstance(t, ast.Name):
                        consts.setdefault(t.id, set()).add(value.value)  # type: ignore[union-attr]
    return consts


def _context_value(node: ast.AST | None, consts: dict[str, set[str]]) -> set[str]:
    """The literal context(s) a context argument stands for ({} if unknown)."""
    if _is_str_literal(node):
        return {node.value}  # type: ignore[union-attr]
    name = _dotted_tail(node) if node is not None else None
    return consts.get(name, set()) if name else set()


def _call_sites(
    trees: dict[Path, ast.Module],
) -> tuple[list[tuple[Path, ast.Call, str]], set[ast.Call], set[ast.AST]]:
    """Every translation call (file, call, kind); those inside an f-string; nodes inside a class."""
    calls: list[tuple[Path, ast.Call, str]] = []
    in_fstrings: set[ast.Call] = set()
    in_classes: set[ast.AST] = set()
    for path, tree in trees.items():
        in_classes.update(_enclosing_classes(tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                kind = _kind(node)
                if kind:
                    calls.append((path, node, kind))
            elif isinstance(node, ast.JoinedStr):
                in_fstrings.update(n for n in ast.walk(node) if isinstance(n, ast.Call) and _kind(n))
    return calls, in_fstrings, in_classes


def lint_translation_calls(sources: dict[Path, str]) -> list[str]:
    """Problems ("file:line: ...") in the given {path: Python source} files."""
    problems: list[str] = []
    trees: dict[Path, ast.Module] = {}
    for path, text in sources.items():
        try:
            trees[path] = ast.parse(text, filename=str(path))
        except SyntaxError as exc:
            problems.append(f"{_rel(path)}:{exc.lineno}: cannot parse: {exc.msg}")

    calls, in_fstrings, in_classes = _call_sites(trees)

    # Contexts whose strings are marked with QT_TRANSLATE_NOOP("Ctx", "...").
    # translate("Ctx", variable) is the documented runtime lookup of such a
    # table (shared/stack.md P11), so it is allowed for those contexts only.
    consts = _string_constants(trees)
    noop_contexts: set[str] = set()
    for _path, call, kind in calls:
        ctx = _arg(call, 0, "context")
        if kind == "QT_TRANSLATE_NOOP" and _is_str_literal(ctx):
            noop_contexts.add(ctx.value)  # type: ignore[union-attr]

    for path, call, kind in calls:
        text_lines = sources[path].splitlines()
        end = getattr(call, "end_lineno", None) or call.lineno
        if any(EXEMPT_MARK in text_lines[i - 1] for i in range(call.lineno, end + 1)):
            continue
        where = f"{_rel(path)}:{call.lineno}"
        src = " ".join((ast.get_source_segment(sources[path], call) or kind).split())
        if len(src) > 100:
            src = src[:97] + "..."
        if kind in {"tr", "QT_TR_NOOP"} and call not in in_classes:
            # lupdate takes tr()'s context from the enclosing class; outside one there is none
            problems.append(f'{where}: tr() outside a class: use QCoreApplication.translate("Ctx", …): {src}')
            continue
        if call in in_fstrings:
            # pyside6-lupdate does not look inside f-strings: the text never reaches the .ts
            problems.append(f"{where}: inside an f-string, where lupdate does not see it: {src}")
            continue

        if kind in {"tr", "QT_TR_NOOP"}:
            text = _arg(call, 0, "sourceText", "text", "source")
            if not _is_str_literal(text):
                problems.append(f"{where}: text is not a string literal: {src}")
            elif kind == "tr" and not _is_literal_or_none(_arg(call, 1, "disambiguation", "comment")):
                problems.append(f"{where}: disambiguation is not a string literal: {src}")
        elif kind == "QT_TRANSLATE_NOOP":
            ctx, text = _arg(call, 0, "context"), _arg(call, 1, "sourceText", "text", "source")
            if not _is_str_literal(ctx) or not _is_str_literal(text):
                problems.append(f"{where}: context and text must be string literals: {src}")
        elif kind == "translate":
            ctx = _arg(call, 0, "context")
            text = _arg(call, 1, "sourceText", "key", "text", "source")
            if _is_str_literal(ctx) and _is_str_literal(text):
                if not _is_literal_or_none(_arg(call, 2, "disambiguation", "comment")):
                    problems.append(f"{where}: disambiguation is not a string literal: {src}")
                continue
            if _is_plain_reference(text) and _context_value(ctx, consts) & noop_contexts:
                continue  # lookup of a QT_TRANSLATE_NOOP-marked table
            problems.append(f"{where}: context/text is not a string literal: {src}")
    return problems


def _is_plain_reference(node: ast.AST | None) -> bool:
    """A variable, attribute or subscript: a lookup, not text being built."""
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript))


def test_translation_calls_use_string_literals():
    files = _app_sources()
    assert files, f"no Python files under {APP}"
    problems = lint_translation_calls({p: p.read_text(encoding="utf-8") for p in files})
    assert not problems, (
        "pyside6-lupdate cannot extract these strings (it silently skips variables and\n"
        "records an f-string's template, which never matches at run time).\n"
        'Translate a literal first, then format it: self.tr("Connected to {name}").format(name=n).\n'
        'For a table, mark each entry with QT_TRANSLATE_NOOP("Ctx", "...") and look it up with\n'
        'QCoreApplication.translate("Ctx", variable); for any other deliberate lookup put\n'
        f"'{EXEMPT_MARK}' on the line. Never call tr() inside an f-string: translate into a\n"
        "variable first, then put the variable into the f-string.\n  " + "\n  ".join(problems)
    )


def test_lint_catches_the_usual_mistakes():
    """Guards the lint itself against silently accepting everything."""
    src = """
from PySide6.QtCore import QCoreApplication
QT_TRANSLATE_NOOP("Tbl", "Cell")
CTX = "Tbl"
class W:
    def ok(self, n, key, name):
        self.tr("Plain")
        self.tr("implicit " "concat")
        self.tr("%n cell(s)", "", n)
        self.tr("Connected to {name}").format(name=name)
        self.tr("Used %s") % name
        QCoreApplication.translate("Ctx", "Text")
        QCoreApplication.translate("Tbl", key)
        QCoreApplication.translate(CTX, key)
        "abc".translate({97: 98})
        self.tr(key)  # i18n: lookup
        lowest = self.tr("lowest cell")
        html = f"<b>{lowest}</b>"
    def bad(self, name, key):
        self.tr(f"Hello {name}")
        self.tr(key)
        self.tr("a" + name)
        self.tr("Hi %s" % name)
        self.tr("Hi {}".format(name))
        tr(name)
        QCoreApplication.translate("Ctx", f"x{name}")
        QCoreApplication.translate("Other", key)
        QCoreApplication.translate("Tbl", "a" + key)
        QT_TRANSLATE_NOOP("Tbl", name)
        self.tr("Plain", name)
        html = f"<b>{self.tr('Inside an f-string')}</b>"
        html = f'<i>{QCoreApplication.translate("Ctx", "Also inside")}</i>'
"""
    problems = lint_translation_calls({APP / "_lint_selftest.py": src})  # never written
    bad_start = src.splitlines().index("    def bad(self, name, key):") + 1
    flagged = sorted(int(p.split(":")[1]) for p in problems)
    expected = list(range(bad_start + 1, bad_start + 14))
    assert flagged == expected, "\n".join(problems)


# ---------------------------------------------------------------------------
# (b) .ts completeness and placeholders
# ---------------------------------------------------------------------------

_BRACE_FIELD = re.compile(r"\{[^{}]*\}")
_QT_ARG = re.compile(r"%n|%L?\d{1,2}")


def placeholders(text: str | None, *, ignore_n: bool = False) -> list[str]:
    """Sorted {name}-style fields and %n / %1 / %L1 markers in *text*."""
    text = (text or "").replace("{{", "").replace("}}", "")
    found = _BRACE_FIELD.findall(text) + _QT_ARG.findall(text)
    if ignore_n:
        found = [f for f in found if f != "%n"]
    return sorted(found)


def check_ts(path: Path) -> list[str]:
    problems: list[str] = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return [f"{_rel(path)}: not valid XML: {exc}"]
    for ctx in root.iter("context"):
        cname = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            src = msg.findtext("source") or ""
            where = f"{_rel(path)}: [{cname}] {src!r}"
            tr = msg.find("translation")
            if tr is None:
                problems.append(f"{where}: no <translation>")
                continue
            if tr.get("type") in {"vanished", "obsolete"}:
                continue  # dropped by `make translations`; (c) reports it as stale
            if tr.get("type") == "unfinished":
                problems.append(f"{where}: unfinished")
                continue
            numerus = msg.get("numerus") == "yes"
            forms = [nf.text for nf in tr.findall("numerusform")] if numerus else [tr.text]
            if not forms or not all(f and f.strip() for f in forms):
                problems.append(f"{where}: empty translation")
                continue
            if numerus:
                # A plural form may spell out the number ("one cell"), so %n
                # is only required in some form; every other marker in each.
                want = placeholders(src, ignore_n=True)
                for f in forms:
                    if placeholders(f, ignore_n=True) != want:
                        problems.append(
                            f"{where}: placeholders {want} != {placeholders(f, ignore_n=True)} in {f!r}"
                        )
                if "%n" in src and not any("%n" in f for f in forms):
                    problems.append(f"{where}: %n missing from every plural form")
            elif placeholders(forms[0]) != placeholders(src):
                problems.append(
                    f"{where}: placeholders {placeholders(src)} != {placeholders(forms[0])} in {forms[0]!r}"
                )
    return problems


def test_ts_files_are_complete():
    files = _ts_files()
    if not files:
        pytest.skip("no translations/*.ts yet (test_ts_files_are_fresh says how to make them)")
    problems = [p for f in files for p in check_ts(f)]
    assert not problems, (
        f"{len(problems)} incomplete or broken translation(s); translate them in "
        "pyside6-linguist or the XML, then `make translations`:\n  " + "\n  ".join(problems)
    )


def test_lint_flags_tr_outside_a_class():
    src = """
from PySide6.QtCore import QCoreApplication
def hint(parent):
    QCoreApplication.translate("Hint", "Fine")
    return parent.tr("No context lupdate can give")
"""
    problems = lint_translation_calls({APP / "_lint_selftest.py": src})  # never written
    assert [int(p.split(":")[1]) for p in problems] == [5], problems


def test_placeholder_check_itself():
    assert placeholders("Connected to {name} at {rate:.1f} %1 %n") == sorted(
        ["{name}", "{rate:.1f}", "%1", "%n"]
    )
    assert placeholders("100 % SOC, {{literal}}") == []
    assert placeholders("%L1 cells") == ["%L1"]


# ---------------------------------------------------------------------------
# (c) .ts freshness: what lupdate finds in app/ now == what is committed
# ---------------------------------------------------------------------------


def _messages(path: Path) -> set[tuple[str, str, str, bool]]:
    root = ET.parse(path).getroot()
    return {
        (
            ctx.findtext("name") or "",
            msg.findtext("source") or "",
            msg.findtext("comment") or "",
            msg.get("numerus") == "yes",
        )
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_ts_files_are_fresh(tmp_path):
    missing = [p for p in REQUIRED_TS if not p.exists()]
    assert not missing, (
        f"missing {', '.join(_rel(p) for p in missing)}: run `make translations` "
        "to create it from app/**/*.py, translate it, and commit it"
    )
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip(f"{lupdate} not found (PySide6-Essentials not installed in this venv)")

    files = _ts_files()
    copies = []
    for f in files:
        copy = tmp_path / f.name
        shutil.copyfile(f, copy)
        copies.append(copy)
    sources = [str(p.relative_to(ROOT)) for p in _app_sources()]
    ts_args = [a for c in copies for a in ("-ts", str(c))]
    proc = subprocess.run(
        [str(lupdate), *sources, *ts_args, *LUPDATE_FLAGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"pyside6-lupdate failed:\n{proc.stdout}\n{proc.stderr}"

    stale = []
    for f, copy in zip(files, copies, strict=True):
        committed, fresh = _messages(f), _messages(copy)
        if committed != fresh:
            lines = [f"{_rel(f)} is stale:"]
            lines += [
                f"  + [{c}] {s!r}" + (f" ({d})" if d else "") for c, s, d, _ in sorted(fresh - committed)
            ]
            lines += [
                f"  - [{c}] {s!r}" + (f" ({d})" if d else "") for c, s, d, _ in sorted(committed - fresh)
            ]
            stale.append("\n".join(lines))
    assert not stale, (
        "translations are out of date with app/ (+ new in the code, - gone from it).\n"
        "Run `make translations`, translate the new strings, and commit the .ts file(s).\n"
        + "\n".join(stale)
        + (f"\nlupdate said:\n{proc.stderr.strip()}" if proc.stderr.strip() else "")
    )


# ---------------------------------------------------------------------------
# (d) every literal the code translates is in every .ts
# ---------------------------------------------------------------------------


def _enclosing_classes(tree: ast.Module) -> dict[ast.AST, str]:
    """Each call inside a class body → the innermost class's name (lupdate's tr() context)."""
    owner: dict[ast.AST, str] = {}
    for node in ast.walk(tree):  # breadth first: a class comes before the classes inside it
        if isinstance(node, ast.ClassDef):
            owner.update((n, node.name) for n in ast.walk(node) if isinstance(n, ast.Call))
    return owner


def translated_literals(sources: dict[Path, str]) -> dict[tuple[str, str, str], str]:
    """(context, source text, disambiguation) of every tr()/translate()/QT_*_NOOP call whose
    text is a literal, with where it is ("file:line"); contexts as lupdate assigns them."""
    found: dict[tuple[str, str, str], str] = {}
    for path, text in sources.items():
        tree = ast.parse(text, filename=str(path))
        owner = _enclosing_classes(tree)
        for call in ast.walk(tree):
            kind = _kind(call) if isinstance(call, ast.Call) else None
            if kind in {"tr", "QT_TR_NOOP"}:
                ctx: ast.AST | str | None = owner.get(call)
                src, dis = _arg(call, 0, "sourceText", "text", "source"), _arg(call, 1, "disambiguation")
            elif kind in {"translate", "QT_TRANSLATE_NOOP"}:
                ctx = _arg(call, 0, "context")
                src, dis = _arg(call, 1, "sourceText", "key", "text"), _arg(call, 2, "disambiguation")
                ctx = ctx.value if _is_str_literal(ctx) else None  # type: ignore[union-attr]
            else:
                continue
            if ctx is None or not _is_str_literal(src):
                continue  # a lookup ((a) decides whether it is allowed), or tr() outside a class
            key = (ctx, src.value, dis.value if _is_str_literal(dis) else "")  # type: ignore[union-attr]
            found.setdefault(key, f"{_rel(path)}:{call.lineno}")
    return found


def test_every_translated_literal_is_in_every_ts():
    files = _ts_files()
    if not files:
        pytest.skip("no translations/*.ts yet")
    code = translated_literals({p: p.read_text(encoding="utf-8") for p in _app_sources()})
    assert code, "found no tr() calls in app/: the walk is broken"
    problems = []
    for f in files:
        in_ts = {(c, s, d) for c, s, d, _n in _messages(f)}
        problems += [f"{_rel(f)}: [{c}] {s!r} ({where})" for (c, s, _d), where in sorted(
            ((k, w) for k, w in code.items() if k not in in_ts), key=lambda kv: kv[1])]  # fmt: skip
    assert not problems, (
        "these strings are translated in the code but missing from the .ts, so they are shown in\n"
        "English whatever the language (lupdate skipped them: a tr() inside an f-string, …).\n"
        "Move the tr() out (test_translation_calls_use_string_literals says where), run\n"
        "`make translations`, translate them:\n  " + "\n  ".join(problems)
    )


def test_translated_literals_walk_assigns_lupdates_contexts():
    """Guards (d): the contexts and texts it expects are the ones lupdate writes."""
    src = """
from PySide6.QtCore import QCoreApplication
class Page:
    def a(self, key):
        self.tr("Plain")
        self.tr("Same", "menu")
        label = f"<b>{self.tr('In an f-string')}</b>"
        QCoreApplication.translate("Ctx", "Text")
        self.tr(key)  # a lookup, not a literal
    class Inner:
        def b(self):
            return self.tr("Nested")
def free():
    return QCoreApplication.translate("Other", "Free")
"""
    found = translated_literals({APP / "_walk_selftest.py": src})  # never written
    assert sorted(found) == [
        ("Ctx", "Text", ""),
        ("Inner", "Nested", ""),
        ("Other", "Free", ""),
        ("Page", "In an f-string", ""),
        ("Page", "Plain", ""),
        ("Page", "Same", "menu"),
    ]
