"""What the command line says when something is wrong, in the terminal's language (bot/cli_i18n.py): the application's
errors that carry a template (`bot.errors`: a msgid of the ``cli`` domain and its parameters) and argparse's own
complaints about the command line (a bad flag value, a missing argument). ``str(err)`` and the logs stay English.

Also ``ui_lang_in``: the ``--ui-lang`` of a command line argparse has not read yet (its complaints are said in it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from bot.cli_i18n import gettext as _
from bot.errors import InputFileError, TemplatedError, fill

__all__ = ["LocalizedArgumentParser", "argparse_message", "error_text", "room_language_error", "ui_lang_in"]


def _where(path: str, line: int | None, text: str) -> str:
    if line is None:
        return _("%(path)s: %(reason)s") % {"path": path, "reason": text}
    return _("%(path)s:%(line)d: %(reason)s") % {"path": path, "line": line, "reason": text}


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A template's parameters in the terminal's language: ``what`` (which file or credential) is a msgid too."""
    return {k: _(v) if k == "what" and isinstance(v, str) else v for k, v in params.items()}


def error_text(exc: BaseException) -> str:
    """``exc``'s message in the terminal's language: a template (InputFileError, CredentialError …) is translated and
    filled; a catalog file's problems keep their details but say where in the terminal's words; anything else is
    ``str(exc)``."""
    from catalog.io import MAX_MESSAGE_CHARS, CatalogFileError
    from catalog.rules import clip

    if isinstance(exc, InputFileError):
        return _where(exc.path, exc.line, fill(_(exc.template), _params(exc.params)))
    if isinstance(exc, TemplatedError):
        return fill(_(exc.template), _params(exc.params))
    if isinstance(exc, CatalogFileError) and exc.errors:
        lines = [clip(_where(exc.path, line, message), MAX_MESSAGE_CHARS) for line, message in exc.errors]
        if exc.more:
            lines.append(_("%(path)s: … and %(n)d more problems") % {"path": exc.path, "n": exc.more})
        return "\n".join(lines)
    return str(exc)


def room_language_error(code: str) -> str | None:
    """Why ``code`` cannot be one of ``--room-languages`` (None: it can), in the terminal's language. English is
    bot/langid.py's message as it was (with the languages' English names); the Chinese names the codes only."""
    from bot import cli_i18n
    from bot.langid import identifiable_languages, meant_code, room_language_problem

    problem = room_language_problem(code)
    if problem is None or cli_i18n.current() == cli_i18n.ENGLISH:
        return problem
    fields = {"code": repr(code.strip()), "codes": ", ".join(identifiable_languages())}
    meant = meant_code(code)
    if meant:
        return _("%(code)s is not a language code the bot can identify; did you mean %(meant)s? Supported: %(codes)s") % {
            **fields, "meant": repr(meant),
        }
    return _("%(code)s is not a language code the bot can identify. Supported: %(codes)s") % fields



# ------------------------------------------------------------------------------------------- argparse's complaints
# argparse (Python 3.11) builds its messages from these English templates; they are matched and said again in the
# terminal's language. A message that matches none stays as argparse wrote it.
_ARGUMENT = re.compile(r"^argument (?P<argument>.+?): (?P<message>.*)$", re.DOTALL)
_INVALID_VALUE = re.compile(r"^invalid (?P<type>\w+) value: (?P<value>.*)$", re.DOTALL)
_INVALID_CHOICE = re.compile(r"^invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$", re.DOTALL)
_REQUIRED = re.compile(r"^the following arguments are required: (?P<names>.*)$", re.DOTALL)
_UNRECOGNIZED = re.compile(r"^unrecognized arguments: (?P<names>.*)$", re.DOTALL)
_EXPECTED_ONE = "expected one argument"


def _argument_message(message: str) -> str:
    if m := _INVALID_VALUE.match(message):
        return _("invalid %(type)s value: %(value)s") % {"type": _(m["type"]), "value": m["value"]}
    if m := _INVALID_CHOICE.match(message):
        return _("invalid choice: %(value)s (choose from %(choices)s)") % {"value": m["value"], "choices": m["choices"]}
    if message == _EXPECTED_ONE:
        return _("expected one argument")
    return message  # ours (argparse.ArgumentTypeError) are said in the terminal's language already


def argparse_message(message: str) -> str:
    """One of argparse's error messages in the terminal's language."""
    if m := _ARGUMENT.match(message):
        return _("argument %(argument)s: %(message)s") % {
            "argument": m["argument"], "message": _argument_message(m["message"]),
        }
    if m := _REQUIRED.match(message):
        return _("the following arguments are required: %(names)s") % {"names": m["names"]}
    if m := _UNRECOGNIZED.match(message):
        return _("unrecognized arguments: %(names)s") % {"names": m["names"]}
    return message


class LocalizedArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error line is in the terminal's language (the usage line above it stays as argparse
    writes it: it is the command's syntax). Its sub-command parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = _("%(prog)s: error: %(message)s") % {
            "prog": self.prog, "message": self._missing_choice(message) or argparse_message(message),
        }
        self.exit(2, said + "\n")

    def _missing_choice(self, message: str) -> str | None:
        """`livereply` / `livereply staff` alone: what to type next, not "the following arguments are required:
        command" (an argparse dest, not a word a staff member knows)."""
        m = _REQUIRED.match(message)
        if m is None:
            return None
        first = m["names"].split(", ")[0]
        for action in self._actions:
            if not action.option_strings and action.choices and first in (action.metavar, action.dest):
                choices = [str(c) for c in action.choices]
                return _("say what to do: %(choices)s (e.g. `%(example)s`; `%(prog)s -h` explains each)") % {
                    "choices": ", ".join(choices), "example": f"{self.prog} {choices[0]}", "prog": self.prog,
                }
        return None


def ui_lang_in(argv: Sequence[str]) -> str | None:
    """The value of ``--ui-lang`` on a command line not parsed yet (None when absent; the last one wins, as argparse)."""
    found = None
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--ui-lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--ui-lang="):
            found = arg.split("=", 1)[1]
    return found
