"""What ``knowledge create`` and ``update`` send: the fields as the API names them, each
checked before any request (lengths as the service counts them); how a knowledge base is
shown; and the refusal of the group under v3."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

from akool_cli._ids import is_text, is_word
from akool_cli.api.types.knowledge import DOC_FORMATS, TEXT_LIMITS, Knowledge, text_length
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.input import read_small_text
from akool_cli.cli.core.validate import http_url
from akool_cli.cli.ui.text import iso_utc

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

MAX_PROMPT_FILE = 4 * TEXT_LIMITS["prompt"]  # bytes: UTF-8 takes up to 4 a character


@dataclass(frozen=True)
class KnowledgeFields:
    """As typed; None: left out (``update`` leaves the field as it is)."""

    name: Optional[str] = None
    prologue: Optional[str] = None
    prompt: Optional[str] = None
    prompt_file: Optional[str] = None
    docs: Sequence[str] = ()
    urls: Sequence[str] = ()


def require_v4(app_ctx: AppContext) -> None:
    if app_ctx.api_version() != "v4":
        raise UsageError("v3 has no knowledge bases", hint="they are v4's: use --api-version v4")


def knowledge_id(value: str) -> str:
    text = value.strip()
    if not is_word(text):
        raise UsageError(f"{value!r} is not a knowledge base id")
    return text


# Line breaks and tabs a prologue or a prompt may hold; a name is one line.
LAYOUT = {"name": "", "prologue": "\n\r\t", "prompt": "\n\r\t"}


def _control(value: str, allowed: str) -> Optional[str]:
    """The first control character (C0, DEL, C1) of ``value`` not in ``allowed``."""
    for char in value:
        code = ord(char)
        if (code < 0x20 or 0x7F <= code < 0xA0) and char not in allowed:
            return char
    return None


def _text(value: str, key: str, flag: Optional[str] = None) -> str:
    flag = flag or f"--{key}"
    if not is_text(value):
        raise UsageError(f"{flag} is not UTF-8 text")
    control = _control(value, LAYOUT[key])
    if control is not None:
        raise UsageError(
            f"{flag} holds a control character ({ascii(control)}); "
            + ("a name is one line of text" if key == "name" else "only line breaks and tabs")
        )
    limit = TEXT_LIMITS[key]
    length = text_length(value)
    if length > limit:
        raise UsageError(
            f"{flag} is at most {limit} characters counted as the service counts them "
            f"(UTF-16 code units: most emoji count 2); this one has {length}"
        )
    return value


def prompt_file_text(source: str, stdin: Any) -> str:
    """The prompt from a file, or stdin for ``-``; ONE trailing newline is not part of
    it (a file's last line ends in one), more are."""
    text = read_small_text(source, stdin, MAX_PROMPT_FILE, "--prompt-file")
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def _url(value: str, flag: str) -> Tuple[str, str]:
    """(the URL, its last path segment)."""
    text = http_url(value, flag)
    return text, posixpath.basename(unquote(urlsplit(text).path))


def _doc(value: str) -> Dict[str, Any]:
    """A document by its URL: named by its last path segment, whose extension must be a
    supported format. Its size is not known here (the CLI does not fetch it): 0."""
    url, name = _url(value, "--doc")
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension not in DOC_FORMATS:
        raise UsageError(
            f"--doc {value!r}: a document's URL ends in its file name, one of "
            + ", ".join(f".{f}" for f in DOC_FORMATS)
        )
    return {"name": name, "url": url, "size": 0}


def body(fields: KnowledgeFields, *, creating: bool, stdin: Any = None) -> Dict[str, Any]:
    """The fields to send. ``--prologue ''`` clears it (update); an empty name is refused."""
    found: Dict[str, Any] = {}
    if fields.name is not None:
        if not fields.name.strip():
            raise UsageError("--name cannot be empty")
        found["name"] = _text(fields.name, "name")
    if fields.prologue is not None:
        found["prologue"] = _text(fields.prologue, "prologue")
    if fields.prompt is not None and fields.prompt_file is not None:
        raise UsageError("give --prompt or --prompt-file, not both")
    if fields.prompt is not None:
        found["prompt"] = _text(fields.prompt, "prompt")
    if fields.prompt_file is not None:
        text = prompt_file_text(fields.prompt_file, stdin)
        found["prompt"] = _text(text, "prompt", "--prompt-file")
    if fields.docs:
        found["docs"] = [_doc(d) for d in fields.docs]
    if fields.urls:
        found["urls"] = [_url(u, "--url")[0] for u in fields.urls]
    if creating and "name" not in found:
        raise UsageError("a knowledge base needs a --name")
    if not creating and not found:
        raise UsageError(
            "nothing to update", hint="give --name, --prologue, --prompt, --doc or --url"
        )
    return found


def knowledge_rows(item: Knowledge) -> List[Tuple[str, Optional[str]]]:
    docs = ", ".join(str(d.get("url") or d.get("name")) for d in item.docs)
    return [
        ("id", item.id),
        ("name", item.name),
        ("prologue", item.prologue or None),
        ("prompt", item.prompt or None),
        ("docs", docs or None),
        ("urls", ", ".join(item.urls) or None),
        ("created", iso_utc(item.created_at) if item.created_at else None),
        ("updated", iso_utc(item.updated_at) if item.updated_at else None),
    ]


def show_knowledge(app_ctx: AppContext, item: Knowledge) -> None:
    from akool_cli.cli.ui.table import render_fields

    render_fields(app_ctx.io, knowledge_rows(item))
