"""``akool api``: call any endpoint of the API with the CLI's credential and care, the way
``gh api`` does: fields become a JSON body (or the query of a GET), the answer is printed
as JSON whatever its code, and the exit code follows the API's business code."""

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Dict, Iterator, List, Optional, Tuple

import typer

from akool_cli.api._constants import API_ROOT
from akool_cli.api.errors import AkoolError
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.validate import is_text

if TYPE_CHECKING:
    from akool_cli.api.pagination import Page
    from akool_cli.cli.core.context import AppContext

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")  # not HEAD: the API answers in the body
SAFE = ("GET",)  # repeated on a network failure; the others never are
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
MAX_INPUT = 4 * 1024 * 1024  # bytes of a request body from --input or @file


@dataclass(frozen=True)
class ApiOptions:
    path: str
    method: Optional[str] = None
    fields: List[str] = field(default_factory=list)  # -f key=value: strings
    typed_fields: List[str] = field(default_factory=list)  # -F key=value: typed
    input: Optional[str] = None  # --input FILE, or - for stdin
    paginate: bool = False
    include: bool = False


def api_path(path: str, api_version: str = "v3") -> str:
    """``PATH`` on the base URL: relative to ``/api/open/<api_version>/`` unless it starts
    with ``/``."""

    if not path or not is_text(path) or not path.isprintable() or " " in path:
        raise UsageError(f"{path!r} is not an API path", hint="e.g. liveAvatar/session/list")
    if "://" in path:
        raise UsageError("give a path, not a URL: the base URL is --base-url's")
    return path if path.startswith("/") else f"{API_ROOT}/{api_version}/{path}"


def _read(source: str, app_ctx: "AppContext", what: str) -> str:
    """The text of a file, or of stdin for ``-`` (bounded either way)."""
    from akool_cli.cli.core.input import read_small_text

    return read_small_text(source, app_ctx.io.stdin, MAX_INPUT, what)


def typed_value(text: str, app_ctx: "AppContext") -> Any:
    """``-F``: true, false, null, a number, ``@file`` (its text) — else the string."""
    literals = {"true": True, "false": False, "null": None}
    if text in literals:
        return literals[text]
    if text.startswith("@"):
        return _read(text[1:], app_ctx, f"-F {text}")
    if _JSON_NUMBER.match(text):  # a number as JSON writes it; "1_000" or " 5" stay text
        if text.lstrip("-").isdigit():
            try:
                return int(text)
            except ValueError:  # more digits than Python converts: no real field's value
                return text
        number = float(text)
        if number not in (float("inf"), float("-inf")):
            return number
    return text


def parse_fields(opts: ApiOptions, app_ctx: "AppContext") -> Dict[str, Any]:
    from akool_cli.cli.ui.text import sanitize_line

    fields: Dict[str, Any] = {}
    for raw, typed in [(f, False) for f in opts.fields] + [(f, True) for f in opts.typed_fields]:
        flag = "-F" if typed else "-f"
        key, sep, value = raw.partition("=")
        a_file = typed and value.startswith("@")  # a file's name may be any bytes
        if not is_text(key) or not (a_file or is_text(value)):
            # bytes that are not UTF-8: no JSON body or query string can carry them
            shown = sanitize_line(raw.encode("utf-8", "replace").decode("utf-8"), 60)
            raise UsageError(f"{flag} {shown!r}: not UTF-8 text")
        if not sep or not key:
            raise UsageError(f"{flag} {raw!r}: expected key=value")
        fields[key] = typed_value(value, app_ctx) if typed else value
    return fields


def _request_parts(
    opts: ApiOptions, app_ctx: "AppContext"
) -> Tuple[str, Dict[str, Any], Optional[bytes]]:
    """(method, query parameters, body) from the options."""
    from akool_cli._json import strict_json

    fields = parse_fields(opts, app_ctx)
    body: Optional[bytes] = None
    if opts.input is not None:
        text = _read(opts.input, app_ctx, "--input")
        try:
            strict_json(text)
        except ValueError as exc:
            raise UsageError(f"--input is not JSON: {exc}") from None
        body = text.encode("utf-8")
    default = "POST" if (fields or body is not None) and not opts.paginate else "GET"
    method = (opts.method if opts.method is not None else default).upper()
    if method not in METHODS:
        raise UsageError(f"-X {opts.method!r}: use one of {', '.join(METHODS)}")
    if body is None and fields and method not in SAFE:
        body = json.dumps(fields).encode("utf-8")
        fields = {}
    if opts.paginate and method != "GET":
        raise UsageError("--paginate goes with GET")
    if opts.paginate and opts.include:
        raise UsageError("-i shows one answer's status and headers: leave out --paginate")
    return method, fields, body


def _show_head(app_ctx: "AppContext", response: Any) -> None:
    from akool_cli.cli.ui.text import sanitize_line

    app_ctx.io.err(f"HTTP {response.status_code}")
    for name, value in response.headers.items():
        app_ctx.io.err(f"{sanitize_line(name)}: {sanitize_line(value)}")
    app_ctx.io.err("")


def _failure(response: Any) -> Optional[Exception]:
    """The error an answer stands for (by its business code, or its HTTP status), if any."""
    from akool_cli.api.client import parse_envelope

    try:
        parse_envelope(response)
    except AkoolError as exc:
        return exc
    return None


def _route_hint(path: str, failure: Exception) -> Optional[str]:
    """For a v4 path the service has no route for (HTTP 404, no envelope): the route may
    be v3's (some are v3's alone, as the v4 notes list them)."""
    from akool_cli.api.errors import ProtocolError

    response = getattr(failure, "response", None)
    prefix = f"{API_ROOT}/v4/"
    if not isinstance(failure, ProtocolError) or getattr(response, "status_code", None) != 404:
        return None
    if not path.startswith(prefix):
        return None
    v3 = f"{API_ROOT}/v3/{path[len(prefix) :]}"
    return f"no such v4 route; it may be v3's: add --api-version v3, or give the path {v3}"


def _print_body(app_ctx: "AppContext", response: Any) -> None:
    from akool_cli.cli.ui.text import sanitize_text

    try:
        data = response.json()
    except ValueError:
        text = response.text
        app_ctx.io.write(sanitize_text(text) if app_ctx.io.stdout_tty else text)
        if text and not text.endswith("\n"):
            app_ctx.io.write("\n")
        return
    app_ctx.io.json(data)


def run_api(opts: ApiOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.boundary import report

    path = api_path(opts.path, app_ctx.api_version())
    method, params, body = _request_parts(opts, app_ctx)
    client = app_ctx.client()
    headers = {"Content-Type": "application/json"} if body is not None else None
    if opts.paginate:
        return _paginate(app_ctx, path, params)
    response = client.raw_request(
        method, path, params=params or None, data=body, headers=headers, retry=method in SAFE
    )
    if opts.include:
        _show_head(app_ctx, response)
    _print_body(app_ctx, response)
    failure = _failure(response)
    if failure is None:
        return 0
    return report(app_ctx, failure, _route_hint(path, failure))


def _paginate(app_ctx: "AppContext", path: str, params: Dict[str, Any]) -> int:
    """Follow ``page`` until ``count`` items came; one JSON array of every ``data.result``
    item, streamed as the pages come."""
    from akool_cli.api.pagination import Page, iter_pages
    from akool_cli.cli.core.boundary import report

    client = app_ctx.client()
    size = int(params.get("size", 100)) if str(params.get("size", "100")).isdigit() else 100
    start = int(params.get("page", 1)) if str(params.get("page", "1")).isdigit() else 1
    failures: List[Exception] = []

    def fetch(number: int) -> "Page[Any]":
        response = client.raw_request(
            "GET", path, params={**params, "page": number, "size": size}, retry=True
        )
        failure = _failure(response)
        if failure is not None:
            failures.append(failure)
            return Page(0, [], lambda item: item)
        return Page.from_api(response.json().get("data"), lambda item: item)

    def items() -> Iterator[Any]:
        for page in iter_pages(fetch, size=size, start_page=start):
            yield from page.items

    io = app_ctx.io
    opened = False
    for item in items():
        io.write(("[\n" if not opened else ",\n") + io.dumps(item))
        opened = True
    if failures:
        if opened:  # leave the array unterminated: it is not the whole list
            io.write("\n")
        return report(app_ctx, failures[0], _route_hint(path, failures[0]))
    io.out("\n]" if opened else "[]")
    return 0


def api(
    ctx: typer.Context,
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="Under /api/open/VERSION/ (the chosen API version's) unless it starts with /.",
        ),
    ],
    method: Annotated[
        Optional[str],
        typer.Option(
            "--method", "-X", metavar="METHOD", help="GET, or POST when fields are given."
        ),
    ] = None,
    fields: Annotated[
        Optional[List[str]],
        typer.Option("--raw-field", "-f", metavar="KEY=VALUE", help="A string field."),
    ] = None,
    typed_fields: Annotated[
        Optional[List[str]],
        typer.Option(
            "--field",
            "-F",
            metavar="KEY=VALUE",
            help="A typed field: true, false, null, a number, or @FILE (@- for stdin).",
        ),
    ] = None,
    input: Annotated[
        Optional[str],
        typer.Option("--input", metavar="FILE", help="The request body: a JSON file, - for stdin."),
    ] = None,
    paginate: Annotated[
        bool, typer.Option("--paginate", help="Follow page until count: one array of items.")
    ] = False,
    include: Annotated[
        bool, typer.Option("--include", "-i", help="The HTTP status and headers, on stderr.")
    ] = False,
) -> None:
    """Call any endpoint of the API, with the stored credential.

    Fields make a JSON body (or the query string of a GET). The answer is printed
    as JSON (indented on a terminal) whatever its business code; the exit code
    follows the code like every other command (0 for 1000).

    [b]Examples[/b]

      $ akool api liveAvatar/session/list -X GET -f status=2
      $ akool api liveAvatar/session/close -F id="$ID"
      $ akool api avatar/list --paginate -F size=100 | jq length
      $ akool api faceswap/quota/info -i
    """
    opts = ApiOptions(
        path=path,
        method=method,
        fields=fields or [],
        typed_fields=typed_fields or [],
        input=input,
        paginate=paginate,
        include=include,
    )
    invoke(ctx, run_api, opts)
