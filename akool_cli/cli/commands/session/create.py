"""``akool session create``: start a live avatar session (and wait until it is live).
v4 takes a duration, a stream type and the session's voice, language, mode and
knowledge base (``_v4.py`` checks them); v3 takes the avatar alone."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from akool_cli.cli.core import validate
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_WAIT_TIMEOUT,
    AvatarIdOpt,
    BackgroundUrlOpt,
    DurationOpt,
    JsonOpt,
    KnowledgeIdOpt,
    LanguageOpt,
    ModeOpt,
    QuietOpt,
    StreamTypeOpt,
    VoiceIdOpt,
    VoiceParamsOpt,
    VoiceUrlOpt,
    WaitTimeoutOpt,
)
from akool_cli.cli.core.signals import shielded
from akool_cli.cli.core.validate import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.commands.session._v4 import V4Choices
    from akool_cli.cli.core.context import AppContext


def _no_choices() -> "V4Choices":
    from akool_cli.cli.commands.session._v4 import V4Choices

    return V4Choices()


@dataclass(frozen=True)
class CreateOptions:
    avatar_id: Optional[str] = None
    wait: bool = False
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    as_json: bool = False
    quiet: bool = False
    v4: "V4Choices" = field(default_factory=_no_choices)


def chosen_avatar(option: Optional[str], app_ctx: "AppContext") -> str:
    """--avatar-id, else the profile's avatar_id; a usage error if neither is given."""

    avatar_id = option if option is not None else app_ctx.setting("avatar_id")[0]
    if avatar_id is None:
        example = "dvp_Tristan_cloth2_1080P" if app_ctx.api_version() == "v4" else "Kai_1080P_back"
        raise UsageError(
            "which avatar? give --avatar-id",
            hint=f"or set a default: akool config set avatar_id {example}",
        )
    return avatar_id


def create_arguments(choices: "V4Choices", app_ctx: "AppContext") -> dict:
    """What ``SessionService.create`` takes beside the avatar, for the chosen version;
    a usage error for a v4 option under v3 (nothing is sent)."""
    from akool_cli.cli.commands.session._v4 import v4_create

    if app_ctx.api_version() == "v3":
        given = choices.given()
        if given:
            raise UsageError(
                f"v3 sessions take no {', '.join(given)}",
                hint="leave them out, or use --api-version v4",
            )
        return {}
    duration, stream_type, options = v4_create(choices, app_ctx)
    return {"duration": duration, "stream_type": stream_type, "options": options}


def run_create(opts: CreateOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.session._show import show_session
    from akool_cli.cli.core.lifecycle import close_created, wait_until_live
    from akool_cli.cli.ui.iostreams import OutputError

    check_output_flags(opts.as_json, opts.quiet)
    avatar_id = validate.avatar_id(chosen_avatar(opts.avatar_id, app_ctx))
    arguments = create_arguments(opts.v4, app_ctx)
    app_ctx.about(avatar_id=avatar_id, avatar_sent=True)
    io = app_ctx.io
    service = app_ctx.sessions()
    session = None
    try:
        with shielded():  # a signal now would lose the id of a session being created
            session = service.create(avatar_id, **arguments)
        app_ctx.hold_secrets_of([session.id], session.raw)  # its room's tokens: redacted
        if opts.wait:
            if not opts.quiet and not opts.as_json:
                io.info(f"Created session {session.id}; waiting until it is live…")
            if not session.is_live:
                session = wait_until_live(
                    app_ctx, session.id, opts.wait_timeout, just_queueing=session.status == 1
                )
        if opts.quiet:
            io.out(session.id)
        elif opts.as_json:
            io.json(session.raw)
        else:
            show_session(io, session, service.record(session.id))
        io.flush()
    except BaseException as exc:
        # Nobody received the id (not live yet, or stdout could not take it): close the
        # session rather than leave it running, and billing, behind a failure, Ctrl-C or
        # a signal.
        if session is None:
            raise
        close_created(app_ctx, session.id)
        if isinstance(exc, BrokenPipeError):  # a reader that left is no failure; this is
            raise OutputError(32, "the reader left before the session's id was printed") from None
        raise
    return 0


def create(
    ctx: typer.Context,
    avatar_id: AvatarIdOpt = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the session is live (status 2).")
    ] = False,
    wait_timeout: WaitTimeoutOpt = DEFAULT_WAIT_TIMEOUT,
    duration: DurationOpt = None,
    stream_type: StreamTypeOpt = None,
    mode: ModeOpt = None,
    voice_id: VoiceIdOpt = None,
    voice_url: VoiceUrlOpt = None,
    language: LanguageOpt = None,
    knowledge_id: KnowledgeIdOpt = None,
    background_url: BackgroundUrlOpt = None,
    voice_params: VoiceParamsOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Start a live avatar session.

    v4 (the default API version): the session lasts --duration seconds (1-3600,
    default 600 or config duration), [b]charged up front[/b]; closing it early
    refunds the unused part, and it ends by itself when the time runs out. Its
    room is LiveKit unless --stream-type says agora or trtc (for other clients:
    create prints their credential keys). The --duration, --stream-type, --mode,
    --voice-*, --language, --knowledge-id, --background-url and --voice-params
    options are v4's; v3 (--api-version v3) takes the avatar alone.

    With --wait, polls until the session is live. A session that ends or fails
    first exits 8, the timeout exits 9; a session that never became live is
    closed again.

    [b]Examples[/b]

      $ akool session create --avatar-id dvp_Tristan_cloth2_1080P --duration 600
      $ ID=$(akool session create --avatar-id dvp_Tristan_cloth2_1080P --wait -q)
      $ akool session create --avatar-id dvp_Tristan_cloth2_1080P --json | jq .credentials
      $ akool --api-version v3 session create --avatar-id Kai_1080P_back
    """
    from akool_cli.cli.commands.session._v4 import V4Choices

    choices = V4Choices(
        duration=duration,
        stream_type=stream_type,
        mode=mode,
        voice_id=voice_id,
        voice_url=voice_url,
        language=language,
        knowledge_id=knowledge_id,
        background_url=background_url,
        voice_params=voice_params,
    )
    opts = CreateOptions(
        avatar_id=avatar_id,
        wait=wait,
        wait_timeout=wait_timeout,
        as_json=as_json,
        quiet=quiet,
        v4=choices,
    )
    invoke(ctx, run_create, opts)
