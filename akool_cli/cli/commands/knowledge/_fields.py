"""What ``knowledge create`` and ``update`` send: the fields as the API names them, each
checked before any request (lengths as the service counts them); how a knowledge base is
shown; and the refusal of the group under v3."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

from akool_cli._ids import is_text, is_word
from akool_cli.api.types.knowledge import DOC_FORMATS, TEXT_LIMITS, Knowledge, text_length
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.input import read_small_file
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


def _text(value: str, key: str) -> str:
    if not is_text(value):
        raise UsageError(f"--{key} is not UTF-8 text")
    limit = TEXT_LIMITS[key]
    length = text_length(value)
    if length > limit:
        raise UsageError(f"--{key} is at most {limit} characters; this one has {length}")
    return value


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


def body(fields: KnowledgeFields, *, creating: bool) -> Dict[str, Any]:
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
        text = read_small_file(Path(fields.prompt_file), MAX_PROMPT_FILE, "--prompt-file")
        found["prompt"] = _text(text, "prompt")
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
