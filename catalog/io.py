"""Catalog files: load and validate `data/catalog.yaml` (errors name the file and line), import into a
`CatalogStore`, export back to the same format (round-trips), and a CSV of stock levels for staff.

The format is described in docs/catalog-format.md. Hostile input is refused before it can cost memory or time:
files over `MAX_CATALOG_BYTES`, YAML anchors and aliases (so no "billion laughs" expansion), nesting deeper than
`MAX_DEPTH`; numbers follow `catalog.rules`; values quoted in error messages are clipped to ~200 characters.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalog import rules
from catalog.errors import Invalid
from catalog.files import write_atomically
from catalog.langs import canonical_tag
from catalog.phrases import override_problem
from catalog.rules import RuleError, clip, shown
from catalog.size_chart import DIMENSIONS as SIZE_DIMENSIONS
from catalog.size_chart import MAX_ROWS as MAX_SIZE_CHART_ROWS
from catalog.size_chart import SizeRow, chart_problems, chart_sizes
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo, guess_lang
from catalog.synonyms import UNKNOWN_ATTR, UNKNOWN_KEY, UNKNOWN_VALUE, Vocabulary, clean, synonym_problems
from catalog.templates import (
    TemplateError,
    format_number,
    parse_template,
    validate_global_template,
    validate_template,
)
from catalog.wordfilter import WordFilter

if TYPE_CHECKING:
    from catalog.store import CatalogStore
    from catalog.store.records import StockDifference

__all__ = [
    "FORMAT_VERSION",
    "MAX_CATALOG_BYTES",
    "MIN_QUESTIONS",
    "CatalogData",
    "CatalogFileError",
    "CatalogImport",
    "dump_catalog",
    "export_catalog",
    "export_products_csv",
    "import_catalog",
    "import_catalog_report",
    "import_stock_csv",
    "load_catalog_file",
    "parse_catalog",
    "plan_stock_csv",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MIN_QUESTIONS = rules.MIN_QUESTIONS  # example questions per FAQ (all languages together)
TEXT_LANGS = ("zh", "en")
MAX_CATALOG_BYTES = 20 * 1024 * 1024  # catalog YAML and stock CSV files
MAX_DEPTH = 32  # YAML nesting levels (a catalog needs about 7)
MAX_REPORTED_ERRORS = 100  # problems listed in one CatalogFileError message
MAX_MESSAGE_CHARS = 600  # backstop: longest message line (values in it are clipped to ~200 characters)
LANG_MAX_LENGTH = 8  # language codes: String(8) column

_SLUG = rules.ID_RE
_SKU = rules.SKU_RE
_LANG = re.compile(r"^[a-z]{2}(?:-[A-Za-z0-9]+)?$")
_TOP_KEYS = ("version", "currency", "products", "faqs", "synonyms")
_PRODUCT_KEYS = (
    "id", "name", "aliases", "category", "price", "tags", "description", "attributes", "variants", "size_chart",
    "wording",
)
_VARIANT_KEYS = ("sku", "attrs", "stock", "price")
_FAQ_KEYS = ("id", "product", "intent", "questions", "answer")


class CatalogFileError(Invalid):
    """A catalog file is invalid. `errors` lists the problems found as (line or None, message).

    At most `MAX_REPORTED_ERRORS` are kept; `more` counts the others (the message ends "… and N more problems").
    """

    def __init__(
        self, path: str | os.PathLike[str], errors: list[tuple[int | None, str]], *, more: int = 0
    ) -> None:
        self.path = str(path)
        self.more = more + max(0, len(errors) - MAX_REPORTED_ERRORS)
        self.errors = errors[:MAX_REPORTED_ERRORS]
        self.line = errors[0][0] if errors else None
        lines = [
            clip(f"{self.path}:{line}: {msg}" if line else f"{self.path}: {msg}", MAX_MESSAGE_CHARS)
            for line, msg in self.errors
        ]
        if self.more:
            lines.append(f"{self.path}: … and {self.more} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class CatalogData:
    """A validated catalog file."""

    path: str
    currency: Mapping[str, str]
    products: tuple[ProductInfo, ...]
    faqs: tuple[FaqInfo, ...]
    examples: Mapping[str, tuple[tuple[str, str], ...]]  # faq_id -> ((question, lang), ...)
    synonyms: Mapping[str, Any] = field(default_factory=dict)  # see _read_synonyms
    lines: Mapping[str, int] = field(default_factory=dict)  # "product:<id>" / "variant:<sku>" / "faq:<id>" -> line
    version: int = FORMAT_VERSION


# ---------------------------------------------------------------------------------------------------- loading


class _Invalid(Exception):
    """Raised after an error was recorded, to skip the rest of the current entry."""


class _Refused(Exception):
    """The YAML uses a feature catalog files may not use (anchors, aliases, deep nesting)."""

    def __init__(self, node_mark: Any, message: str) -> None:  # a yaml.Mark from either composer, or None
        super().__init__(message)
        self.line = node_mark.line + 1 if node_mark is not None else None
        self.message = message


class _CatalogLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases *before* composing them (nothing is ever expanded or shared)
    and nesting deeper than `MAX_DEPTH` (instead of a RecursionError)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, "YAML aliases/anchors are not allowed")
        if self._depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Reader:
    """Turns a composed YAML node tree into values, recording errors with line numbers."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.errors: list[tuple[int | None, str]] = []
        self.more = 0  # errors beyond MAX_REPORTED_ERRORS, counted only

    def fail(self, node: Node | None, message: str) -> _Invalid:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line_of(node), message))
        else:
            self.more += 1
        return _Invalid(message)

    def value(self, node: Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, ArithmeticError) as exc:
            # e.g. an int of more than 4300 digits, a date such as 2024-13-45, invalid !!binary
            self.loader.recursive_objects.clear()
            problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
            raise self.fail(node, f"cannot read this value: {clip(problem, 120)}") from None

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...] | None = None) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value), not {_kind(node)}")
        out: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node) if isinstance(key_node, ScalarNode) else None
            if key is None or isinstance(key, (bool, list, dict)):
                raise self.fail(key_node, f"{what}: keys must be plain names")
            key = str(key)
            if key in out:
                raise self.fail(key_node, f"{what}: duplicate key '{clip(key)}' (first at line {line_of(keys[key])})")
            if allowed is not None and key not in allowed:
                raise self.fail(key_node, f"{what}: unknown key '{clip(key)}' (allowed: {', '.join(allowed)})")
            out[key] = value_node
            keys[key] = key_node
        return out

    def sequence(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, ScalarNode) and self.value(node) is None:
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list, not {_kind(node)}")
        return list(node.value)

    def text(
        self, node: Node, what: str, numbers: bool = False, max_length: int | None = None, key: str | None = None
    ) -> str:
        """Non-empty text; `key` is the name the value is filed under in the file (a language), for the hint."""
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            finite = not isinstance(value, float) or math.isfinite(value)
            value = format_number(Decimal(str(value))) if finite else str(node.value)  # .inf stays ".inf"
        if not isinstance(value, str) or not value.strip():
            placeholder = _unquoted_placeholder(node)
            hint = f": {_quote_hint(key, placeholder)}" if placeholder else ""
            raise self.fail(node, f"{what} must be non-empty text, not {_describe(node, value)}{hint}")
        if max_length is not None and len(value.strip()) > max_length:
            raise self.fail(node, f"{what} '{clip(value.strip())}' is longer than {max_length} characters")
        return value.strip()

    def texts(self, node: Node, what: str, required: tuple[str, ...] = ()) -> dict[str, str]:
        """A {zh: ..., en: ...} mapping; a plain string counts for every language in `required`/TEXT_LANGS."""
        if isinstance(node, ScalarNode):
            text = self.text(node, what, numbers=True)
            return dict.fromkeys(required or TEXT_LANGS, text)
        out: dict[str, str] = {}
        for lang, value_node in self.lang_entries(node, what).items():
            out[lang] = self.text(value_node, f"{what} ({lang})", numbers=True, key=lang)
        missing = [lang for lang in required if lang not in out]
        if missing:
            raise self.fail(node, f"{what} needs {' and '.join(missing)} text")
        return out

    def lang_entries(self, node: Node, what: str) -> dict[str, Node]:
        """A mapping keyed by language code ({zh: ..., en: ...}); a key that is not a language is an error at its
        value, with a hint when it looks like a typing slip (see `_lang_key_hint`)."""
        entries = self.mapping(node, what)
        for index, (lang, value_node) in enumerate(entries.items()):
            if not _is_lang(lang):
                assert isinstance(node, MappingNode)  # entries come from a mapping node, in its order
                raise self.fail(value_node, f"{what}: {_lang_problem(lang)}{_lang_key_hint(node, index)}")
        return entries

    def strings(self, node: Node, what: str) -> tuple[str, ...]:
        return tuple(self.text(item, f"{what} entry", numbers=True) for item in self.sequence(node, what))

    def number(self, node: Node, what: str) -> Decimal:
        """A price (catalog.rules.check_price)."""
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, f"{what} must be a number, not {_describe(node, value)}")
        try:
            return rules.check_price(value, source=str(node.value))
        except RuleError as exc:
            raise self.fail(node, f"{what} {exc.reason}") from None

    def count(self, node: Node, what: str) -> int:
        """A stock level (catalog.rules.check_stock)."""
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(node, f"{what} must be a whole number, not {_describe(node, value)}")
        try:
            return rules.check_stock(value, source=str(node.value))
        except RuleError as exc:
            raise self.fail(node, f"{what} {exc.reason}") from None

    def slug(self, node: Node, what: str, pattern: re.Pattern[str] = _SLUG) -> str:
        value = self.text(node, what, numbers=True)
        if not pattern.match(value) or len(value) > rules.ID_MAX_LENGTH:
            rule = "lowercase letters, digits, '-' and '_'" if pattern is _SLUG else "no spaces"
            raise self.fail(
                node, f"{what} '{clip(value)}' is not a valid id ({rule}, at most {rules.ID_MAX_LENGTH} characters)"
            )
        return value


def line_of(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None and node.start_mark is not None else None


def _kind(node: Node) -> str:
    kinds: dict[type[Node], str] = {MappingNode: "a mapping", SequenceNode: "a list"}
    return kinds.get(type(node), "a single value")


def _describe(node: Node, value: Any) -> str:
    """A short display of a scalar: numbers as written in the file, anything else as repr, clipped."""
    if not isinstance(node, ScalarNode):
        return _kind(node)
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return clip(str(node.value))
    return shown(value)


def _is_lang(code: str) -> bool:
    """A BCP-47 tag with a known ISO 639-1 language, as stored ("zh", "ja", "pt-BR"); "xx", "jp", "JA" are not."""
    return len(code) <= LANG_MAX_LENGTH and _LANG.match(code) is not None and canonical_tag(code) == code


def _lang_problem(code: str) -> str:
    """Why `code` is not a language tag catalog texts can be filed under."""
    fixed = canonical_tag(code)
    if fixed is not None and len(fixed) <= LANG_MAX_LENGTH:
        return f"'{clip(code)}' is not written as a language tag; write '{fixed}'"
    return f"'{clip(code)}' is not a known language code (BCP-47 with an ISO 639-1 language: zh, en, ja, ko, th, vi, id, es …)"


# Typing slips behind the usual errors in hand-edited files (Chinese input methods type full-width punctuation;
# YAML reads an unquoted {placeholder} as a mapping and an unquoted ',' inside {…} as the next entry).
_PLACEHOLDER_NAME = re.compile(r"^[a-z_]+$")
_PLACEHOLDER_ARG = re.compile(r"^[^{}\s:]+$")
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"")
_FULLWIDTH_COLON = re.compile(  # a key followed by '：' where YAML needs ':' (block or flow style)
    r"(?:^\s*(?:-\s+)?|[{,]\s*)(?P<key>[^\s:#{}\[\],：，'\"][^:#{}\[\],：，]*?)\s*："
)
_FULLWIDTH_COMMA = re.compile(r"，\s*(?P<key>[A-Za-z][\w-]*)\s*[:：]")  # {zh: 灰色，en: grey}
_FULLWIDTH_COMMA_KEY = re.compile(  # price，899: one of the file's own keys, '，' typed for ':'
    r"^\s*(?:-\s+)?(?P<key>{})\s*，[^:]*$".format("|".join(sorted({*_TOP_KEYS, *_PRODUCT_KEYS, *_VARIANT_KEYS, *_FAQ_KEYS})))
)
_UNQUOTED_TEMPLATE = re.compile(r"^\s*(?:-\s+)?(?P<key>[^\s:#'\"{}\[\],]+):\s+(?P<value>\{[^{}]*\}.*?)\s*$")


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null") and not node.style


def _unquoted_placeholder(node: Node) -> str | None:
    """'{asked_stock}' when `node` is what YAML makes of an unquoted template that is just one placeholder: the flow
    mapping {asked_stock: null} ({stock: XL} from "{stock: XL}"); None for anything else."""
    if not isinstance(node, MappingNode) or not node.flow_style or len(node.value) != 1:
        return None
    key_node, value_node = node.value[0]
    if not isinstance(key_node, ScalarNode) or key_node.style or not _PLACEHOLDER_NAME.match(key_node.value):
        return None
    if _is_null(value_node):
        return "{" + key_node.value + "}"
    if isinstance(value_node, ScalarNode) and not value_node.style and _PLACEHOLDER_ARG.match(value_node.value):
        return "{" + key_node.value + ":" + value_node.value + "}"
    return None


def _quote_hint(key: str | None, template: str) -> str:
    example = f'{key}: "{template}"' if key else f'"{template}"'
    return f"templates with {{placeholders}} must be quoted: {clip(example)}"


def _lang_key_hint(node: MappingNode, index: int) -> str:
    """Why entry `index` of a {zh: ..., en: ...} mapping has a key that is no language, when it looks like a slip:
    a full-width colon ({zh：灰色}), an unquoted ',' that split the previous text ({zh: UPF50+,防紫外线}) or an
    unquoted placeholder (answer: {asked_stock}); "" otherwise."""
    key_node, value_node = node.value[index]
    key = str(key_node.value)
    if "：" in key:
        return " — full-width colon '：': use ':'"
    if not _is_null(value_node) or not node.flow_style:
        return ""
    if index > 0:
        prev_key, prev_value = node.value[index - 1]
        if isinstance(prev_value, ScalarNode) and not prev_value.style and not _is_null(prev_value):
            joined = f"{prev_value.value},{key}"
            return (f" — an unquoted ',' inside {{…}} splits the text: quote it, "
                    f"{clip(str(prev_key.value))}: \"{clip(joined)}\"")
    if len(node.value) == 1 and _PLACEHOLDER_NAME.match(key):
        return f" — {_quote_hint('zh', '{' + key + '}')}"
    return ""


def _yaml_slip(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(line, what to fix) when a line at or just before a YAML syntax error shows a usual slip: a full-width colon
    or comma where YAML needs ':' or ',', or an unquoted template starting with a placeholder (YAML reports the
    error where it gave up, often the line after the slip); None otherwise."""
    lines = text.splitlines()
    candidates = {m.line for m in (exc.context_mark, exc.problem_mark) if m is not None}
    if exc.problem_mark is not None:
        candidates.add(exc.problem_mark.line - 1)
    for index in sorted(candidates):
        if not 0 <= index < len(lines):
            continue
        line = _QUOTED.sub(lambda m: " " * len(m.group()), lines[index])
        if "#" in line:
            line = line[: line.index("#")]
        found = _FULLWIDTH_COLON.search(line) if "：" in line else None
        if found:
            return index + 1, f"full-width colon '：' after '{clip(found.group('key').strip())}' — use ':'"
        found = _FULLWIDTH_COMMA.search(line) if "，" in line else None
        if found:
            return index + 1, f"full-width comma '，' before '{clip(found.group('key'))}' — use ','"
        found = _FULLWIDTH_COMMA_KEY.match(line) if "，" in line else None
        if found:
            return index + 1, f"full-width comma '，' after '{clip(found.group('key'))}' — use ':'"
        found = _UNQUOTED_TEMPLATE.match(lines[index])
        if found and found.group("value")[found.group("value").index("}") + 1 :].strip():  # text after the {…}
            return index + 1, _quote_hint(found.group("key"), found.group("value"))
    return None


def load_catalog_file(
    path: str | os.PathLike[str], known_products: Mapping[str, ProductInfo] | None = None
) -> CatalogData:
    """Read and validate a catalog YAML file. Raises `CatalogFileError` listing every problem with its line.

    `known_products`: products that FAQs may refer to besides those in the file (importing with replace=False).
    """
    path = Path(path)
    raw = _read_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogFileError(path, [(line, f"not valid UTF-8 ({exc.reason})")]) from exc
    return parse_catalog(text, str(path), known_products)


def parse_catalog(
    text: str, path: str = "<catalog>", known_products: Mapping[str, ProductInfo] | None = None
) -> CatalogData:
    """Validate catalog YAML given as text; `path` is used in error messages."""
    if len(text) > MAX_CATALOG_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_CATALOG_BYTES:
            raise CatalogFileError(path, [(None, _too_large(size))])
    try:
        loader, root = _compose(text)
    except _Refused as exc:
        raise CatalogFileError(path, [(exc.line, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else None
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        message += _character_at(text, exc.problem_mark)
        slip = _yaml_slip(text, exc)
        if slip is not None:  # named first, on its own line; YAML's own words after it
            at = f", line {line}" if line is not None and line != slip[0] else ""
            line, message = slip[0], f"{slip[1]} (YAML{at}: {message})"
        raise CatalogFileError(path, [(line, f"invalid YAML: {clip(message)}")]) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, a control character)
        where = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else None
        line = text.count("\n", 0, where) + 1 if where is not None else None
        what = f"character #x{exc.character:04x}" if isinstance(exc.character, int) else "a character"
        raise CatalogFileError(path, [(line, f"invalid YAML: {what} is not allowed (a control character)")]) from exc
    except yaml.YAMLError as exc:
        raise CatalogFileError(path, [(None, f"invalid YAML: {clip(str(exc))}")]) from exc
    try:
        if root is None:
            raise CatalogFileError(path, [(None, "the file is empty")])
        reader = _Reader(loader)
        try:
            with _gc_paused():  # ~100k long-lived values built (see _compose)
                data = _read_catalog(reader, root, path, known_products or {})
        except _Invalid:
            data = None
        if reader.errors or data is None:
            raise CatalogFileError(path, sorted(reader.errors, key=lambda e: (e[0] or 0)), more=reader.more)
        return data
    finally:
        loader.dispose()


def _compose(text: str) -> tuple[yaml.SafeLoader, Node | None]:
    """The document's node tree (with line marks) and the loader that reads its values.

    With libyaml (PyYAML's C extension, in the manylinux wheels) the file is first scanned as events for the refused
    features, then composed in C: a 4.8 MB, 10k-FAQ catalog in ~2 s instead of 18 s with the pure-Python composer.
    Without it, `_CatalogLoader` refuses them while composing. Cyclic GC is paused meanwhile: the tree is ~400k
    long-lived nodes that every automatic collection would scan again (4.0 s -> 1.3 s for the C compose, measured)."""
    c_loader = getattr(yaml, "CSafeLoader", None)
    with _gc_paused():
        if c_loader is None or not yaml.__with_libyaml__:
            loader: yaml.SafeLoader = _CatalogLoader(text)
            return loader, loader.get_single_node()
        _refuse_features(yaml.parse(text, Loader=c_loader))
        loader = c_loader(text)
        try:
            return loader, loader.get_single_node()
        except BaseException:
            loader.dispose()
            raise


def _character_at(text: str, mark: Any) -> str:
    """" (a tab at column 1)": the character a YAML error points at, which libyaml's messages do not name (a tab
    in the indentation is the usual one); "" when there is no mark or nothing there."""
    if mark is None:
        return ""
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines) or not 0 <= mark.column < len(lines[mark.line]):
        return ""
    char = lines[mark.line][mark.column]
    shown = "a tab" if char == "\t" else repr(char)
    return f" ({shown} at column {mark.column + 1})"


def _refuse_features(events: Iterator[yaml.Event]) -> None:
    """`_Refused` at the first anchor, alias or node nested more than `MAX_DEPTH` levels (as `_CatalogLoader`)."""
    depth = 0
    try:
        for event in events:
            _refuse_event(event, depth)
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in str(exc.problem):  # libyaml's own limit (1,000), deeper than ours
            raise
        raise _Refused(exc.problem_mark, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)") from None


def _refuse_event(event: yaml.Event, depth: int) -> None:
    if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
        raise _Refused(event.start_mark, "YAML aliases/anchors are not allowed")
    if isinstance(event, (ScalarEvent, CollectionStartEvent)) and depth >= MAX_DEPTH:
        raise _Refused(event.start_mark, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _too_large(size: int | None) -> str:
    limit = f"{MAX_CATALOG_BYTES // (1024 * 1024)} MB"
    return f"the file is larger than {limit} ({size} bytes)" if size is not None else f"the file is larger than {limit}"


def _read_limited(path: Path) -> bytes:
    """The file's bytes; `CatalogFileError` if it cannot be read or is larger than MAX_CATALOG_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogFileError(path, [(None, _too_large(size))])
        with path.open("rb") as handle:
            raw = handle.read(MAX_CATALOG_BYTES + 1)  # a file that grew (or a device) is not read further
    except OSError as exc:
        raise CatalogFileError(path, [(None, f"cannot read file: {exc.strerror or exc}")]) from exc
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogFileError(path, [(None, _too_large(None))])
    return raw


def _read_catalog(
    reader: _Reader, root: Node, path: str, known_products: Mapping[str, ProductInfo]
) -> CatalogData:
    top = reader.mapping(root, "catalog file", _TOP_KEYS)
    if "version" in top:
        version = reader.value(top["version"])
        if version != FORMAT_VERSION:
            reader.fail(
                top["version"], f"unsupported format version {shown(version)} (this LiveReply reads {FORMAT_VERSION})"
            )
    currency: dict[str, str] = {}
    if "currency" in top:
        with contextlib.suppress(_Invalid):
            currency = reader.texts(top["currency"], "currency")
    if "products" not in top:
        raise reader.fail(root, "missing required key 'products'")

    lines: dict[str, int] = {}
    products: dict[str, ProductInfo] = {}
    sku_lines: dict[str, int] = {}
    # products that failed to read (their error is reported): what they declare, so that FAQs, synonyms and global
    # templates referring to them do not report the same typo again at every reference
    declared: list[_Declared] = []
    for node in reader.sequence(top["products"], "products"):
        try:
            product = _read_product(reader, node, sku_lines)
        except _Invalid:
            declared.append(_declare(reader.loader, node))
            continue
        if product.id in products:
            reader.fail(node, f"duplicate product id '{product.id}' (first at line {lines['product:' + product.id]})")
            continue
        products[product.id] = product
        lines["product:" + product.id] = line_of(node) or 0
    lines.update({"variant:" + sku: line for sku, line in sku_lines.items()})
    _warn_shared_aliases(products)

    broken: dict[str, _Declared] = {}  # id -> the first invalid product of that id, unless a valid one has it
    for shadow in declared:
        if shadow.product.id not in products:
            broken.setdefault(shadow.product.id, shadow)
    refs = _References(
        products={**{k: p for k, p in known_products.items() if k not in broken}, **products},
        broken=broken,
        declared=tuple(declared),
    )
    faqs: dict[str, FaqInfo] = {}
    examples: dict[str, tuple[tuple[str, str], ...]] = {}
    for node in reader.sequence(top["faqs"], "faqs") if "faqs" in top else []:
        try:
            faq, faq_examples = _read_faq(reader, node, refs)
        except _Invalid:
            continue
        if faq.id in faqs:
            reader.fail(node, f"duplicate FAQ id '{faq.id}' (first at line {lines['faq:' + faq.id]})")
            continue
        faqs[faq.id] = faq
        examples[faq.id] = faq_examples
        lines["faq:" + faq.id] = line_of(node) or 0
    synonyms: dict[str, Any] = {}
    if "synonyms" in top:
        with contextlib.suppress(_Invalid):
            synonyms = _read_synonyms(reader, top["synonyms"], {**known_products, **products}, tuple(declared))
    return CatalogData(
        path=path, currency=currency, products=tuple(products.values()), faqs=tuple(faqs.values()),
        examples=examples, lines=lines, synonyms=synonyms,
    )


def _read_synonyms(
    reader: _Reader, node: Node, products: Mapping[str, ProductInfo], declared: tuple[_Declared, ...] = ()
) -> dict[str, Any]:
    """The shop's vocabulary (data, not code)::

        synonyms:
          values:                       # other words for a variant value
            colour: {黑色: [黑, 黑的, black], 樱花粉: [粉色, 粉的, pink]}
            size: {XXL: [2XL, 加加大]}
          attributes:                   # words that ask for a product attribute
            weight: [重量, 多重, 几斤, weight, how heavy]

    Read here, checked by `catalog.synonyms.synonym_problems` (the rules the store and the console apply too): each
    problem is reported at the line of its entry, never guessed at run time. Values and keys of products that failed
    to read (`declared`) count as known; while one of them could not even be read that far, a value or key no
    product has is not reported (it may be that product's).
    """
    top = reader.mapping(node, "synonyms", ("values", "attributes"))
    raw: dict[str, dict[str, Any]] = {"values": {}, "attributes": {}}
    at: dict[tuple[str, ...], Node] = {}  # ("values", attr[, value]) / ("attributes", key) -> its node
    failed = False
    for attr, attr_node in reader.mapping(top["values"], "synonyms.values").items() if "values" in top else []:
        at[("values", attr)] = attr_node
        raw["values"][attr] = {}
        for canonical, words_node in reader.mapping(attr_node, f"synonyms.values.{attr}").items():
            at[("values", attr, canonical)] = words_node
            try:
                raw["values"][attr][canonical] = _synonym_words(reader, words_node, f"synonyms.values.{attr}.{canonical}")
            except _Invalid:
                failed = True
    for key, words_node in reader.mapping(top["attributes"], "synonyms.attributes").items() if "attributes" in top else []:
        at[("attributes", key)] = words_node
        try:
            raw["attributes"][key] = _synonym_words(reader, words_node, f"synonyms.attributes.{key}")
        except _Invalid:
            failed = True
    synonyms = clean(raw)
    vocabulary = Vocabulary.of_products([*products.values(), *(d.product for d in declared)])
    unsure: set[str] = set()  # problems that a product which failed to read may be the cause of
    if not all(d.values_complete for d in declared):
        unsure |= {UNKNOWN_ATTR, UNKNOWN_VALUE}
    if not all(d.keys_complete for d in declared):
        unsure.add(UNKNOWN_KEY)
    for problem in synonym_problems(synonyms, vocabulary):
        if problem.code in unsure:
            continue
        where = (problem.section, problem.name) if problem.value is None else ("values", problem.name, problem.value)
        reader.fail(at.get(where, node), problem.message)
        failed = True
    if failed:
        raise _Invalid("synonyms")
    return synonyms


def _synonym_words(reader: _Reader, node: Node, what: str) -> list[str]:
    """A list of words (the rules on them: catalog.synonyms)."""
    return [w.strip() for w in reader.strings(node, what)]


def _read_product(reader: _Reader, node: Node, sku_lines: dict[str, int]) -> ProductInfo:
    entry = reader.mapping(node, "product", _PRODUCT_KEYS)
    for key in ("id", "name", "price", "variants"):
        if key not in entry:
            label = f"product '{clip(str(reader.value(entry['id'])))}'" if "id" in entry else "product"
            raise reader.fail(node, f"{label} is missing required key '{key}'")
    product_id = reader.slug(entry["id"], "product id")
    what = f"product '{product_id}'"
    # one language is enough (the console saves a product named in Chinese only): a reply in another language falls
    # back by the room's policy (catalog/langs.py), never assumes an English name
    name = reader.texts(entry["name"], f"{what} name")
    if not name:
        raise reader.fail(entry["name"], f"{what} name needs text in at least one language")
    price = reader.number(entry["price"], f"{what} price")
    aliases = reader.strings(entry["aliases"], f"{what} aliases") if "aliases" in entry else ()
    tags = reader.strings(entry["tags"], f"{what} tags") if "tags" in entry else ()
    category = (
        reader.text(entry["category"], f"{what} category", max_length=rules.ID_MAX_LENGTH) if "category" in entry else ""
    )
    description = reader.texts(entry["description"], f"{what} description") if "description" in entry else {}
    attributes: dict[str, dict[str, str]] = {}
    if "attributes" in entry:
        for key, value_node in reader.mapping(entry["attributes"], f"{what} attributes").items():
            attributes[key] = reader.texts(value_node, f"{what} attribute '{key}'")
    variant_nodes = reader.sequence(entry["variants"], f"{what} variants")
    if not variant_nodes:
        raise reader.fail(entry["variants"], f"{what} needs at least one variant")
    variants = []
    failed = False
    for variant_node in variant_nodes:
        try:
            variant = _read_variant(reader, variant_node, product_id)
        except _Invalid:
            failed = True
            continue
        if variant.sku in sku_lines:
            reader.fail(variant_node, f"duplicate SKU '{variant.sku}' (first at line {sku_lines[variant.sku]})")
            failed = True
            continue
        sku_lines[variant.sku] = line_of(variant_node) or 0
        variants.append(variant)
    if failed:
        raise _Invalid(what)
    size_chart = _read_size_chart(reader, entry["size_chart"], what, variants) if "size_chart" in entry else ()
    wording = _read_wording(reader, entry["wording"], what) if "wording" in entry else {}
    return ProductInfo(
        id=product_id, name=name, aliases=aliases, category=category, description=description, price=price,
        tags=tags, attributes=attributes, variants=tuple(variants), size_chart=size_chart, wording=wording,
    )


def _read_wording(reader: _Reader, node: Node, what: str) -> dict[str, dict[str, str]]:
    """`wording:` — the shop's own sentence for a structured answer about this product, per language
    ({stock.few: {zh: "{label}只剩{total}件啦,要的抓紧"}}); checked by catalog.phrases.override_problem."""
    out: dict[str, dict[str, str]] = {}
    for key, texts_node in reader.mapping(node, f"{what} wording").items():
        texts = reader.texts(texts_node, f"{what} wording '{key}'")
        for lang, template in texts.items():
            problem = override_problem(key, template)
            if problem is not None:
                raise reader.fail(texts_node, f"{what} {problem} ({lang})")
        out[key] = texts
    return out


def _read_size_chart(reader: _Reader, node: Node, what: str, variants: list[VariantInfo]) -> tuple[SizeRow, ...]:
    """`size_chart:` rows ({size: L, height_cm: [172, 178], weight_kg: [65, 75]}), checked by
    catalog.size_chart.chart_problems; every problem is reported at the line of its row."""
    where = f"{what} size_chart"
    row_nodes = reader.sequence(node, where)
    if len(row_nodes) > MAX_SIZE_CHART_ROWS:  # refused before reading the rows
        raise reader.fail(node, f"{where} has {len(row_nodes)} rows; at most {MAX_SIZE_CHART_ROWS} (one per size)")
    rows: list[SizeRow] = []
    failed = False
    for row_node in row_nodes:
        try:
            entry = reader.mapping(row_node, f"{where} row", ("size", *SIZE_DIMENSIONS))
            if "size" not in entry:
                raise reader.fail(row_node, f"{where} row is missing required key 'size'")
            size = reader.text(entry["size"], f"{where} size", numbers=True, max_length=rules.ID_MAX_LENGTH)
            ranges = {dim: _read_range(reader, entry[dim], f"{where} row '{clip(size)}' {dim}")
                      for dim in SIZE_DIMENSIONS if dim in entry}
        except _Invalid:
            failed = True
            continue
        rows.append(SizeRow(size=size, ranges=ranges))
    if failed:
        raise _Invalid(where)
    problems = chart_problems(rows, chart_sizes([v.attrs for v in variants]))
    for index, message in problems:
        reader.fail(row_nodes[index] if index is not None else node, f"{what}: {message}")
    if problems:
        raise _Invalid(where)
    return tuple(rows)


def _read_range(reader: _Reader, node: Node, what: str) -> tuple[float, float]:
    items = reader.sequence(node, what)
    values = [reader.value(item) if isinstance(item, ScalarNode) else None for item in items]
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(values) != 2 or len(numbers) != 2:
        raise reader.fail(node, f"{what} must be a range of two numbers [low, high], like [172, 178]")
    low, high = numbers
    if not (math.isfinite(low) and math.isfinite(high)):
        raise reader.fail(node, f"{what} must be finite numbers")
    return low, high


def _read_variant(reader: _Reader, node: Node, product_id: str) -> VariantInfo:
    entry = reader.mapping(node, f"variant of '{product_id}'", _VARIANT_KEYS)
    for key in ("sku", "stock"):
        if key not in entry:
            raise reader.fail(node, f"variant of '{product_id}' is missing required key '{key}'")
    sku = reader.slug(entry["sku"], "variant sku", _SKU)
    what = f"variant '{sku}'"
    stock = reader.count(entry["stock"], f"{what} stock")
    price = reader.number(entry["price"], f"{what} price") if "price" in entry and _present(reader, entry["price"]) else None
    attrs: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    if "attrs" in entry:
        for key, value_node in reader.mapping(entry["attrs"], f"{what} attrs").items():
            if isinstance(value_node, MappingNode):
                texts = reader.texts(value_node, f"{what} attr '{key}'")
                attrs[key] = texts.get("zh") or texts.get("en") or next(iter(texts.values()))
                labels[key] = texts
            else:
                attrs[key] = reader.text(value_node, f"{what} attr '{key}'", numbers=True)
    return VariantInfo(sku=sku, product_id=product_id, attrs=attrs, stock=stock, price=price, labels=labels)


def _present(reader: _Reader, node: Node) -> bool:
    return not (isinstance(node, ScalarNode) and reader.value(node) is None)


@dataclass(frozen=True)
class _Declared:
    """What a product that failed to read declares, read leniently (`_declare`): its id, attribute keys and variant
    values. Checks elsewhere in the file count them as known, so one typo in a product is reported once and not
    again at every FAQ, synonym or template that refers to the product. Only ever used for those checks: a file
    with an invalid product is refused as a whole (its error was recorded), nothing of it is imported."""

    product: ProductInfo  # id, attributes (keys) and variants (attrs, labels); the rest is empty
    keys_complete: bool  # every attribute key could be read
    values_complete: bool  # every variant and its attrs could be read

    @property
    def complete(self) -> bool:
        return self.keys_complete and self.values_complete


@dataclass(frozen=True)
class _References:
    """What FAQs may refer to: valid products (of the file, and of the store when merging) and the invalid ones."""

    products: Mapping[str, ProductInfo]  # known_products (but those the file breaks) + the file's valid products
    broken: Mapping[str, _Declared]  # product id -> what the (first) invalid product of that id declares
    declared: tuple[_Declared, ...]  # every invalid product


def _declare(loader: yaml.SafeLoader, node: Node) -> _Declared:
    """`_Declared` of a product entry that failed to read; every problem in it is ignored (it was reported)."""
    scratch = _Reader(loader)  # its errors are dropped

    def texts(value_node: Node) -> dict[str, str] | None:
        entries, _ = _loose_mapping(scratch, value_node)
        out = {}
        for lang, text_node in entries.items():
            with contextlib.suppress(_Invalid):
                out[lang] = scratch.text(text_node, "", numbers=True)
        return out or None

    entry, _ = _loose_mapping(scratch, node)
    id_node = entry.get("id")
    product_id = str(id_node.value).strip() if isinstance(id_node, ScalarNode) else ""
    attributes: dict[str, dict[str, str]] = {}
    keys_complete = True
    if "attributes" in entry:
        keys, keys_complete = _loose_mapping(scratch, entry["attributes"])
        attributes = {key: {} for key in keys}
    variants: list[VariantInfo] = []
    variants_node = entry.get("variants")
    values_complete = isinstance(variants_node, SequenceNode)
    for index, variant_node in enumerate(variants_node.value if isinstance(variants_node, SequenceNode) else ()):
        variant, readable = _loose_mapping(scratch, variant_node)
        attrs: dict[str, str] = {}
        labels: dict[str, dict[str, str]] = {}
        attr_nodes, attrs_readable = _loose_mapping(scratch, variant["attrs"]) if "attrs" in variant else ({}, True)
        values_complete = values_complete and readable and attrs_readable
        for key, value_node in attr_nodes.items():
            value: str | None = None
            if isinstance(value_node, MappingNode):
                label = texts(value_node)
                if label:
                    labels[key] = label
                    value = label.get("zh") or label.get("en") or next(iter(label.values()))
            else:
                with contextlib.suppress(_Invalid):
                    value = scratch.text(value_node, "", numbers=True)
            if value is None:
                values_complete = False
                continue
            attrs[key] = value
        variants.append(VariantInfo(sku=f"#{index + 1}", product_id=product_id, attrs=attrs, stock=0, labels=labels))
    product = ProductInfo(
        id=product_id,
        name={},
        aliases=(),
        category="",
        description={},
        price=Decimal(0),
        tags=(),
        attributes=attributes,
        variants=tuple(variants),
    )
    return _Declared(product=product, keys_complete=keys_complete, values_complete=values_complete)


def _loose_mapping(scratch: _Reader, node: Node) -> tuple[dict[str, Node], bool]:
    """The entries of a mapping whose keys can be read (the first of a repeated key), and whether that was all of
    them; ({}, False) for anything but a mapping."""
    if not isinstance(node, MappingNode):
        return {}, False
    out: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = None
        if isinstance(key_node, ScalarNode):
            with contextlib.suppress(_Invalid):
                key = scratch.value(key_node)
        if key is None or isinstance(key, (bool, list, dict)):
            continue
        out.setdefault(str(key), value_node)
    return out, len(out) == len(node.value)


def _read_faq(reader: _Reader, node: Node, refs: _References) -> tuple[FaqInfo, tuple[tuple[str, str], ...]]:
    entry = reader.mapping(node, "FAQ", _FAQ_KEYS)
    for key in ("id", "intent", "questions", "answer"):
        if key not in entry:
            label = f"FAQ '{clip(str(reader.value(entry['id'])))}'" if "id" in entry else "FAQ"
            raise reader.fail(node, f"{label} is missing required key '{key}'")
    faq_id = reader.slug(entry["id"], "FAQ id")
    what = f"FAQ '{faq_id}'"
    intent = reader.text(entry["intent"], f"{what} intent", max_length=rules.ID_MAX_LENGTH)
    product: ProductInfo | None = None
    product_id: str | None = None
    check_product = True  # False: the product failed to read and what it has is not known (placeholders unchecked)
    if "product" in entry and _present(reader, entry["product"]):
        product_id = reader.text(entry["product"], f"{what} product")
        product = refs.products.get(product_id)
        if product is None and product_id in refs.broken:  # its own error is reported: checked against what it
            shadow = refs.broken[product_id]  # declares, as far as that could be read
            product = shadow.product
            check_product = shadow.complete
        if product is None:
            raise reader.fail(entry["product"], f"{what} refers to unknown product '{clip(product_id)}'")

    examples: list[tuple[str, str]] = []
    questions_node = entry["questions"]
    if isinstance(questions_node, MappingNode):
        for lang, list_node in reader.lang_entries(questions_node, f"{what} questions").items():
            examples += [(q, lang) for q in reader.strings(list_node, f"{what} questions ({lang})")]
    else:
        examples = [(q, guess_lang(q)) for q in reader.strings(questions_node, f"{what} questions")]
    merged: dict[str, str] = {}
    for question, lang in examples:
        if question in merged:  # exact duplicates are merged, not refused: the index would keep one anyway
            log.warning("line %s: %s: duplicate example question '%s' kept once", line_of(questions_node), what, clip(question))
            continue
        merged[question] = lang
    examples = list(merged.items())
    if len(examples) < MIN_QUESTIONS:
        raise reader.fail(
            questions_node, f"{what} has {len(examples)} example questions; at least {MIN_QUESTIONS} are needed"
        )

    answers: dict[str, str] = {}
    # any BCP-47 language (issue 15): zh, en, ja, ko, th, vi, id, ms, es, pt, ar …
    for lang, answer_node in reader.lang_entries(entry["answer"], f"{what} answer").items():
        template = reader.text(answer_node, f"{what} answer ({lang})", key=lang)
        try:
            if not check_product:
                parse_template(template)
            elif product is not None:
                validate_template(template, product)
            elif all(d.complete for d in refs.declared):
                validate_global_template(template, [*refs.products.values(), *(d.product for d in refs.declared)])
            else:  # an invalid product that could not be read may be the one this placeholder is about
                parse_template(template)
        except TemplateError as exc:
            raise reader.fail(
                answer_node, f"{what} answer ({lang}): {exc.message} (at character {exc.position + 1})"
            ) from exc
        answers[lang] = template
    if not answers:
        raise reader.fail(entry["answer"], f"{what} needs an answer in at least one language (zh, en, ja …)")
    faq = FaqInfo(
        id=faq_id, product_id=product_id, intent=intent, questions=tuple(q for q, _ in examples), answers=answers,
        question_langs=tuple(lang for _, lang in examples),
    )
    return faq, tuple(examples)


def _warn_shared_aliases(products: Mapping[str, ProductInfo]) -> None:
    owners: dict[str, list[str]] = {}
    for product in products.values():
        for alias in {a.casefold() for a in product.aliases}:
            owners.setdefault(alias, []).append(product.id)
    for alias, ids in owners.items():
        if len(ids) > 1:
            log.warning(
                "alias %r is shared by products %s: viewers using it are ambiguous", clip(alias), clip(", ".join(ids))
            )


# ------------------------------------------------------------------------------------------ import / export


@dataclass(frozen=True)
class CatalogImport:
    """What `import_catalog_report` wrote: the new catalog version, and the variants stored and in the file whose
    live stock differed from the file's (in file order) — kept as they were with `keep_stock`, else overwritten."""

    version: int
    keep_stock: bool
    stock_differences: tuple[StockDifference, ...] = ()


def import_catalog(
    store: CatalogStore,
    path: str | os.PathLike[str],
    replace: bool = True,
    *,
    word_filter: WordFilter | None = None,
    keep_stock: bool = False,
) -> int:
    """Validate `path` and write it to `store` in one transaction; returns the new catalog version.

    `replace=True` makes the store hold exactly the file (stock and session-start stock from the file);
    `replace=False` adds and updates products and FAQs, keeping the others. With a `word_filter`, an answer template
    containing a banned word (广告法 extreme words, the shop's list) is refused with its line and a suggestion.
    `keep_stock`: variants already in the store keep their live stock (what sold or staff set during a show) instead
    of the file's; new variants take the file's stock. `import_catalog_report` also says which stock differed.
    """
    return import_catalog_report(store, path, replace, word_filter=word_filter, keep_stock=keep_stock).version


def import_catalog_report(
    store: CatalogStore,
    path: str | os.PathLike[str],
    replace: bool = True,
    *,
    word_filter: WordFilter | None = None,
    keep_stock: bool = False,
    check: Callable[[CatalogData], None] | None = None,
) -> CatalogImport:
    """`import_catalog`, returning the version and the variants whose live stock differed from the file's.
    ``check``: a further validation of the parsed file by the caller (raises `CatalogFileError`; nothing is written),
    e.g. the bot layer's template-language check (bot/catalog_import.py)."""
    stored = None if replace else store.snapshot()
    known = {} if stored is None else dict(stored.products)
    data = load_catalog_file(path, known_products=known)
    if stored is not None:
        check_merged_synonyms(data, stored.products, stored.synonyms or {})
    if check is not None:
        check(data)
    if word_filter is not None:
        check_banned_words(data, word_filter)
    differences: list[StockDifference] = []
    version = store.load_catalog(
        data.products, data.faqs, examples=data.examples, currency=data.currency, replace=replace,
        synonyms=data.synonyms if (data.synonyms or replace) else None,
        keep_stock=keep_stock, stock_differences=differences,
    )
    return CatalogImport(version=version, keep_stock=keep_stock, stock_differences=tuple(differences))


def check_merged_synonyms(
    data: CatalogData, stored: Mapping[str, ProductInfo], stored_synonyms: Mapping[str, Any]
) -> None:
    """A merge import keeps the store's synonyms (the file has none) and products the file does not mention: the
    merged catalog must pass the rules a full import of it would (catalog.synonyms), else the next export → import
    is refused. Problems the merge brings are `CatalogFileError`, at the line of the file's product that causes
    them; a problem the store already had (a product edited in the console since) is not this file's."""
    if data.synonyms:  # the file's own synonyms were checked against the merged products when it was read
        return
    synonyms = clean(stored_synonyms)
    before = set(synonym_problems(synonyms, Vocabulary.of_products(stored.values())))
    merged = {**stored, **{p.id: p for p in data.products}}
    problems = [p for p in synonym_problems(synonyms, Vocabulary.of_products(merged.values())) if p not in before]
    if not problems:
        return
    in_file = {p.id: p for p in data.products}
    errors: list[tuple[int | None, str]] = []
    for problem in problems:
        culprit = problem.product if problem.product in in_file else None
        if culprit is None and problem.value is not None:  # a value no product has any more: who had it
            culprit = next((pid for pid, old in stored.items() if pid in in_file
                            and any(str(v.attrs.get(problem.name)) == problem.value for v in old.variants)), None)
        line = data.lines.get(f"product:{culprit}") if culprit else None
        where = f"product '{culprit}': " if culprit and not problem.product else ""
        errors.append((line, f"{where}{problem.message} (the catalog's synonyms, kept by a merge import)"))
    raise CatalogFileError(data.path, errors)


def check_banned_words(data: CatalogData, word_filter: WordFilter) -> None:
    """Refuse answer templates that contain a banned word: CatalogFileError with file:line, the word and a suggestion."""
    problems: list[tuple[int | None, str]] = []
    for product in data.products:
        for key, texts in product.wording.items():
            for lang, template in texts.items():
                for banned in word_filter.find(template):
                    line = data.lines.get("product:" + product.id)
                    problems.append((line, f"product '{product.id}' wording '{key}' ({lang}): {banned.describe()}"))
    for faq in data.faqs:
        for lang, template in faq.answers.items():
            for banned in word_filter.find(template):
                line = data.lines.get("faq:" + faq.id)
                problems.append((line, f"FAQ '{faq.id}' answer ({lang}): {banned.describe()}"))
    if problems:
        raise CatalogFileError(data.path, problems)


def export_catalog(store: CatalogStore, path: str | os.PathLike[str]) -> None:
    """Write the store's catalog (with current stock) to `path` in the catalog file format."""
    _write_atomically(Path(path), dump_catalog(store))


def dump_catalog(store: CatalogStore) -> str:
    """The store's catalog as catalog-file YAML text."""
    snapshot = store.snapshot()
    examples = store.faq_examples()
    doc: dict[str, Any] = {"version": FORMAT_VERSION}
    if snapshot.currency:
        doc["currency"] = _Flow(snapshot.currency)
    synonyms = snapshot.synonyms or {}
    if synonyms.get("values") or synonyms.get("attributes"):
        doc["synonyms"] = {
            "values": {attr: {v: _FlowList(words) for v, words in vs.items()} for attr, vs in synonyms.get("values", {}).items()},
            "attributes": {key: _FlowList(words) for key, words in synonyms.get("attributes", {}).items()},
        }
    doc["products"] = [_product_doc(p) for p in snapshot.products.values()]
    doc["faqs"] = [_faq_doc(f, examples.get(f.id, [])) for f in snapshot.faqs.values()]
    header = "# LiveReply catalog (format: docs/catalog-format.md)\n"
    return header + yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def _product_doc(product: ProductInfo) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": product.id, "name": _Flow(product.name)}
    if product.aliases:
        doc["aliases"] = _FlowList(product.aliases)
    if product.category:
        doc["category"] = product.category
    doc["price"] = product.price
    if product.tags:
        doc["tags"] = _FlowList(product.tags)
    if product.description:
        doc["description"] = dict(product.description)
    if product.attributes:
        doc["attributes"] = {key: _Flow(texts) for key, texts in product.attributes.items()}
    doc["variants"] = [_variant_doc(v) for v in product.variants]
    if product.wording:
        doc["wording"] = {key: _Flow(texts) for key, texts in product.wording.items()}
    if product.size_chart:
        doc["size_chart"] = [
            _Flow({k: _FlowList(v) if isinstance(v, list) else v for k, v in row.to_json().items()})
            for row in product.size_chart
        ]
    return doc


def _variant_doc(variant: VariantInfo) -> dict[str, Any]:
    doc: dict[str, Any] = {"sku": variant.sku}
    if variant.attrs:
        doc["attrs"] = _Flow(
            {key: _Flow(variant.labels[key]) if variant.labels.get(key) else value
             for key, value in variant.attrs.items()}
        )
    doc["stock"] = variant.stock
    if variant.price is not None:
        doc["price"] = variant.price
    return doc


def _faq_doc(faq: FaqInfo, examples: list[tuple[str, str, str]]) -> dict[str, Any]:
    by_lang: dict[str, list[str]] = {}
    for text, lang, _source in examples:
        by_lang.setdefault(lang, []).append(text)
    return {
        "id": faq.id,
        "product": faq.product_id,
        "intent": faq.intent,
        "questions": by_lang,
        "answer": dict(faq.answers),
    }


class _Flow(dict[str, Any]):
    """A mapping written in flow style: {zh: 灰色, en: grey}."""


class _FlowList(list[Any]):
    """A list written in flow style: [推车, stroller]."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> Node:
    if not value.is_finite():  # only a database written before catalog.rules existed holds one; importing says why
        text = ".nan" if value.is_nan() else ("-.inf" if value < 0 else ".inf")
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    text = format_number(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(Decimal, _represent_decimal)


def _write_atomically(path: Path, text: str) -> None:
    write_atomically(path, text)


# -------------------------------------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("product_id", "sku", "name_zh", "name_en", "variant", "price", "stock", "exported_at")
STOCK_MODES = ("set", "delta")  # set: the `stock` column is the new stock; delta: it is a change (+5 / -2)


def format_export_time(ts: float) -> str:
    """The `exported_at` cell: UTC, ISO 8601 with microseconds and a trailing Z (text to spreadsheet apps)."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# A plain number in `exported_at` is Unix seconds only from this time on (2001-09-09); a smaller one is no export time
# of this program — typically a spreadsheet's date serial (below).
UNIX_SECONDS_MIN = 1e9
# Excel / WPS keep a date as days since 1899-12-30 (46357.59 is 2026-12-01 14:09) and write it so when the cell is
# formatted as a number; the decimal separator is the locale's ("46357,59").
_SERIAL_DATE = re.compile(r"^(\d{1,7})(?:[.,](\d+))?$")
_SERIAL_EPOCH = datetime(1899, 12, 30)
_SERIAL_DAYS_MAX = 2958465  # 9999-12-31


def parse_export_time(text: str) -> float | None:
    """Unix seconds from an `exported_at` cell (as written by `format_export_time`, or a plain number of Unix
    seconds); None when the cell is empty or unreadable (also a spreadsheet's date serial: `spreadsheet_date`)."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
        return value if math.isfinite(value) and value >= UNIX_SECONDS_MIN else None
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def spreadsheet_date(text: str) -> datetime | None:
    """The wall-clock date and time a spreadsheet's date serial stands for ("46357.59" / "46357,59" →
    2026-12-01 14:09:36, no time zone), or None when ``text`` is not one."""
    match = _SERIAL_DATE.match(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= _SERIAL_DAYS_MAX:
        return None
    days = float(f"{match.group(1)}.{match.group(2) or 0}")
    return _SERIAL_EPOCH + timedelta(days=days)


def export_products_csv(store: CatalogStore, path: str | os.PathLike[str]) -> int:
    """One row per variant (UTF-8 with BOM so spreadsheet apps read Chinese); returns the number of rows.

    Edit the stock column and load it back with `import_stock_csv`. Every row carries the export time
    (`exported_at`): a set-mode import adds the orders and stock events logged since then to the file's value.
    The time is taken before the catalog is read, so an order in between is counted as "after" (never lost).
    """
    exported_at = format_export_time(time.time())
    rows = []
    for product in store.snapshot().products.values():
        for v in product.variants:
            rows.append({
                "product_id": product.id,
                "sku": v.sku,
                "name_zh": product.name.get("zh", ""),
                "name_en": product.name.get("en", ""),
                "variant": "; ".join(f"{key}={value}" for key, value in v.attrs.items()),
                "price": _csv_number(v.price if v.price is not None else product.price),
                "stock": v.stock,
                "exported_at": exported_at,
            })
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _csv_number(value: Decimal) -> str:
    return format_number(value) if value.is_finite() else str(value)  # a legacy non-finite price is shown as is


@dataclass(frozen=True)
class StockChange:
    """One SKU a stock import changes: `old` → `new`. `value` is the file's cell; `since_export` the net change from
    orders / stock events after the file's export time (set mode), already included in `new`."""

    sku: str
    line: int
    old: int
    new: int
    value: int
    since_export: int = 0


@dataclass(frozen=True)
class StockPlan:
    """What a stock CSV import does (`plan_stock_csv`), before or after it is written."""

    mode: str
    changes: tuple[StockChange, ...]  # only the SKUs whose stock changes, in file order
    unchanged: int  # rows naming a SKU whose stock stays as it is
    exported_at: float | None  # the earliest export time in the file (set mode); None for a hand-written file

    def as_dict(self) -> dict[str, tuple[int, int]]:
        return {c.sku: (c.old, c.new) for c in self.changes}


def _parse_delta(raw: str) -> int:
    """A stock change: +5, -2 or 5 (digits only, at most STOCK_MAX either way). `RuleError` otherwise."""
    text = raw.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if text[:1] in "+-" and text else text
    if not digits.isascii() or not digits.isdigit():
        raise RuleError(f"must be a change like +5 or -2, got {shown(text)}")
    if len(digits.lstrip("0")) > len(str(rules.STOCK_MAX)) or int(digits) > rules.STOCK_MAX:
        raise RuleError(f"must be at most {rules.STOCK_MAX} either way, got {clip(text)}")
    return sign * int(digits)


def _read_stock_csv(
    source: Path, raw_bytes: bytes, mode: str, known: set[str]
) -> tuple[dict[str, int], dict[str, int], dict[str, float]]:
    """(sku -> value, sku -> line, sku -> export time) from a stock CSV; `CatalogFileError` for any bad row."""
    errors: list[tuple[int | None, str]] = []
    more = 0
    values: dict[str, int] = {}
    lines: dict[str, int] = {}
    since: dict[str, float] = {}
    bad_time_rows = 0
    reader: csv.DictReader[str] | None = None
    try:
        raw_bytes = raw_bytes.removeprefix(b"\xef\xbb\xbf")  # the BOM spreadsheet apps write
        handle = io.StringIO(decode_csv(raw_bytes), newline="")
        reader = csv.DictReader(handle)
        # header names as a spreadsheet user may retype them: `SKU`, `Stock` (the console's own column titles)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "sku" not in fields or "stock" not in fields:
            if not any(fields):
                raise CatalogFileError(source, [(1, "the file is empty")])
            got = ", ".join(f for f in fields if f)
            raise CatalogFileError(source, [(1, f"header must have 'sku' and 'stock' columns, got {clip(got)}")])
        reader.fieldnames = fields
        for row in _rows(reader):
            line = reader.line_num
            sku = (row.get("sku") or "").strip()
            raw = (row.get("stock") or "").strip()
            problem: str | None = None
            if not sku:
                problem = "empty sku"
            elif sku not in known:
                problem = f"unknown SKU '{clip(sku)}'"
            elif sku in values:
                problem = f"SKU '{clip(sku)}' repeated (first at line {lines[sku]})"
            else:
                try:
                    values[sku] = _parse_delta(raw) if mode == "delta" else rules.parse_stock(raw)
                    lines[sku] = line
                    cell = (row.get("exported_at") or "").strip()
                    exported = parse_export_time(cell)
                    if exported is not None:
                        since[sku] = exported
                    elif cell and mode == "set":
                        # a spreadsheet app rewrote the export time (2026/12/2 16:43): setting the file's value
                        # as if hand-written would undo every order since the export, so refuse the file (named
                        # once, at its first row: the other rows carry the same cell)
                        bad_time_rows += 1
                        if bad_time_rows == 1:
                            problem = _bad_export_time(cell)
                except RuleError as exc:
                    problem = f"stock for '{clip(sku)}' {exc.reason}"
            if problem is None:
                continue
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append((line, problem))
            else:
                more += 1
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise CatalogFileError(source, [(line, f"not valid UTF-8 ({exc.reason})")]) from exc
    except csv.Error as exc:
        at = reader.reader.line_num if reader is not None else None  # DictReader.line_num lags after an error
        raise CatalogFileError(source, [*errors, (at, f"not a readable CSV row: {clip(str(exc))}")]) from exc
    if errors or bad_time_rows:
        raise CatalogFileError(source, errors, more=more)
    return values, lines, since


def _bad_export_time(cell: str) -> str:
    """Why an `exported_at` cell is refused. A date serial is not read back: it is rounded (two decimals are 14.4
    minutes) and has no time zone (the export's UTC or the shop's clock, depending on the app), so the export time
    it gives may be minutes or hours off: a later time undoes the orders in between, an earlier one counts them
    twice."""
    serial = spreadsheet_date(cell)
    if serial is not None:
        return (
            f"exported_at '{clip(cell)}' is a date a spreadsheet app turned into a number "
            f"({serial:%Y-%m-%d %H:%M}, rounded, time zone unknown): the orders since the export cannot be counted "
            "from it; export the stock again and keep the exported_at column as text, or empty the exported_at "
            "column to set the file's values as they are"
        )
    return (
        f"exported_at '{clip(cell)}' is not an export time this program wrote: export the stock again, or empty the "
        "exported_at column to set the file's values as they are"
    )


def decode_csv(raw: bytes) -> str:
    """A stock CSV's text: UTF-8 (a BOM dropped), else GB18030 (GBK), what Excel and WPS save "CSV (逗号分隔)" as
    on a Chinese Windows; a file that is neither raises the UTF-8 error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise exc from None


def plan_stock_csv(
    store: CatalogStore, path: str | os.PathLike[str], *, mode: str = "set", write: bool = False
) -> StockPlan:
    """Read a stock CSV (`sku` and `stock` columns, other columns ignored) and work out every change, all or nothing.

    mode "set": `stock` is the new stock. When the row has an `exported_at` (every exported CSV has), the orders
    and stock events logged since that time are added to it: a file exported at 10 units, edited to 20 while
    3 units sold, sets 17 — the import never undoes those orders (a result below 0 is refused with the reason).
    mode "delta": `stock` is a change per SKU (+5 / -2 / 5); a result below 0 is refused.
    Every row is checked (unknown SKU, not a number, repeated SKU, result outside `catalog.rules` →
    `CatalogFileError` with the line). With `write`, the changes are applied in the same transaction.
    """
    if mode not in STOCK_MODES:
        raise Invalid(f"unknown stock import mode '{clip(mode)}' (expected one of {', '.join(STOCK_MODES)})")
    source = Path(path)
    raw = _read_limited(source)
    known = {v.sku for p in store.snapshot().products.values() for v in p.variants}
    values, lines, since = _read_stock_csv(source, raw, mode, known)
    if not values:
        return StockPlan(mode=mode, changes=(), unchanged=0, exported_at=None)
    plan, problems = store.import_stocks(
        values, delta=mode == "delta", since=since if mode == "set" else None, write=write, reason="csv"
    )
    if problems:
        errors: list[tuple[int | None, str]] = sorted(((lines[sku], why) for sku, why in problems.items()),
                                                      key=lambda e: e[0] or 0)
        raise CatalogFileError(source, errors)
    changes = tuple(
        StockChange(sku=sku, line=lines[sku], old=old, new=new, value=values[sku], since_export=later)
        for sku, (old, new, later) in sorted(plan.items(), key=lambda item: lines[item[0]])
        if old != new
    )
    exported = min(since.values()) if since and mode == "set" else None
    return StockPlan(mode=mode, changes=changes, unchanged=len(plan) - len(changes), exported_at=exported)


def import_stock_csv(
    store: CatalogStore, path: str | os.PathLike[str], *, mode: str = "set"
) -> dict[str, tuple[int, int]]:
    """Apply a stock CSV (see `plan_stock_csv`), all or nothing; returns sku -> (old stock, new stock) for the
    rows that changed."""
    return plan_stock_csv(store, path, mode=mode, write=True).as_dict()


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for row in reader:
        if any((value or "").strip() for value in row.values() if isinstance(value, str)):
            yield row

