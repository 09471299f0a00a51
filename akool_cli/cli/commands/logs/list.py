"""``akool logs [list]``: the chat log's latest exchanges — every question `chat` and `say`
sent, with its answer."""

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Dict, Optional

import typer

from akool_cli.cli.core.completers import complete_session_id
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

DEFAULT_COUNT = 10


def log_path(app_ctx: "AppContext") -> Any:
    from akool_cli.local.files import state_dir
    from akool_cli.local.logs import FILE_NAME

    return state_dir(app_ctx.env) / FILE_NAME


@dataclass(frozen=True)
class ListOptions:
    count: int = DEFAULT_COUNT
    session_id: Optional[str] = None
    as_json: bool = False


def _show(io: Any, row: Dict[str, Any]) -> None:
    """One exchange on a terminal: a heading line, then the question and the answer."""
    from akool_cli.cli.ui.text import sanitize_line, sanitize_text

    facts = [row["time"].replace("T", " ")[:19], row["command"]]
    if row["session_id"]:
        facts.append(f"session {row['session_id']}")
    for key in ("avatar_id", "mode"):
        if row[key]:
            facts.append(row[key])
    if row["elapsed_ms"] is not None:
        facts.append(f"{row['elapsed_ms']} ms")
    if row["outcome"] != "answered":
        facts.append(row["outcome"].replace("_", " "))
    elif row.get("ended_by") == "quiet":
        facts.append("ended by quiet")
    io.out(io.style(f"#{row['id']}  " + sanitize_line("  ".join(facts)), "2"))
    if row.get("role") == "transcript":  # a person heard by voice (v4): no answer of its own
        io.out(io.style("heard> " + sanitize_text(row["question"]), "2"))
        return
    io.out(io.style("you> ", "1;32") + sanitize_text(row["question"]))
    if row["answer"] is not None:
        io.out(io.style("avatar> ", "1;36") + sanitize_text(row["answer"]))


TSV_FIELDS = ("id", "time", "session_id", "mode", "outcome", "elapsed_ms", "question", "answer")


def run_list(opts: ListOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.input import one_session_id
    from akool_cli.cli.ui.listing import print_json_array
    from akool_cli.cli.ui.text import sanitize_line
    from akool_cli.local.logs import ChatLog

    if opts.count < 0:
        raise UsageError("-n must be 0 (all) or more")
    session_id = one_session_id(opts.session_id, app_ctx.io.stdin) if opts.session_id else None
    io = app_ctx.io
    with ChatLog(log_path(app_ctx)) as log:  # rows are printed as they are read: no log is too big
        rows = log.iter_recent(opts.count or None, session_id)
        if opts.as_json:
            print_json_array(io, rows)
            return 0
        first = next(rows, None)
        if first is None:
            io.info("The chat log is empty." if session_id is None else "Nothing for that session.")
            return 0
        if io.stdout_tty:
            with app_ctx.pager():
                _show(io, first)
                for row in rows:
                    io.out()
                    _show(io, row)
            return 0
        for row in itertools.chain([first], rows):
            cells = ("-" if row[k] is None else sanitize_line(row[k]) for k in TSV_FIELDS)
            io.out("\t".join(cells))
    return 0


CountOpt = Annotated[
    int,
    typer.Option(
        "-n",
        "--count",
        metavar="N",
        min=0,
        max=1_000_000_000,
        help="How many of the latest to show; 0 for all.",
    ),
]
SessionOpt = Annotated[
    Optional[str],
    typer.Option(
        "--session",
        metavar="ID",
        help="Only this session's exchanges ('-': its id from stdin).",
        autocompletion=complete_session_id,
    ),
]
LogJsonOpt = Annotated[bool, typer.Option("--json", help="A JSON array of exchanges, every field.")]


def list_(
    ctx: typer.Context,
    count: CountOpt = DEFAULT_COUNT,
    session_id: SessionOpt = None,
    as_json: LogJsonOpt = False,
) -> None:
    """Show the latest exchanges, oldest first.

    On a terminal: time, session, avatar, mode, the question and the answer. Piped:
    one tab-separated line each (id, time, session, mode, outcome, ms, question,
    answer).

    [b]Examples[/b]

      $ akool logs list
      $ akool logs list -n 1 --json | jq -r '.[0].answer'
      $ akool logs list --session "$ID" -n 0
    """
    invoke(ctx, run_list, ListOptions(count=count, session_id=session_id, as_json=as_json))


def logs(
    ctx: typer.Context,
    count: CountOpt = DEFAULT_COUNT,
    session_id: SessionOpt = None,
    as_json: LogJsonOpt = False,
) -> None:
    """The chat log: every question `chat` and `say` sent, with its answer.

    Kept in SQLite in the state dir; `akool logs` alone shows the latest ten
    (it takes list's -n, --session and --json).
    Recording is on unless `akool logs off`, AKOOL_LOGS=0 or --no-log on the
    command. A credential is never recorded.

    [b]Examples[/b]

      $ akool logs -n 3
      $ akool logs list -n 0 --json > chats.json
      $ akool logs off
    """
    opts = ListOptions(count=count, session_id=session_id, as_json=as_json)
    if ctx.invoked_subcommand is None:  # `akool logs` is `akool logs list`, with its options
        invoke(ctx, run_list, opts)
    if opts != ListOptions():  # `akool logs -n 3 path`: options of a verb it does not run
        verb = ctx.invoked_subcommand

        def refuse(opts: ListOptions, app_ctx: "AppContext") -> int:
            raise UsageError(
                f"-n, --session and --json go to `akool logs` alone or to `akool logs list`, "
                f"not to `akool logs {verb}`"
            )

        invoke(ctx, refuse, opts)
