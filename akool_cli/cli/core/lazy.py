"""Command groups that load on use.

The root command knows each group's name, one-line help and panel without importing its
module; the module is imported only when the group is invoked (or when completion or
help needs it). So start-up does not grow with the number of groups.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import typer

from akool_cli.cli.core import click_compat as click
from akool_cli.cli.core.click_compat import TyperCommand, TyperGroup
from akool_cli.cli.core.globals import attach
from akool_cli.cli.ui.help import attach_help


class Entry(NamedTuple):
    """A command (or group) of the root: ``module`` defines a Typer ``app`` for it. (A
    NamedTuple: the table is built at every start-up, and a dataclass costs more.)"""

    module: str
    help: str
    panel: str = "Commands"
    hidden: bool = False
    global_options: bool = True  # False: none of them applies (the emulator)


class LazyGroup(TyperGroup):
    """A TyperGroup whose ``entries`` become real commands only when they are resolved."""

    entries: Dict[str, Entry] = {}

    def list_commands(self, ctx: click.Context) -> List[str]:
        return list(dict.fromkeys([*self.entries, *super().list_commands(ctx)]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        real = super().get_command(ctx, cmd_name)
        if real is not None or cmd_name not in self.entries:
            return real
        # For listings (help, completion of names): a stand-in that imports nothing.
        entry = self.entries[cmd_name]
        return TyperCommand(
            cmd_name, help=entry.help, hidden=entry.hidden, rich_help_panel=entry.panel
        )

    def resolve_command(
        self, ctx: click.Context, args: List[str]
    ) -> Tuple[Optional[str], Optional[click.Command], List[str]]:
        if args and args[0] in self.entries:
            # `akool session detail …`: only `detail` is built (not the group's others)
            self.load(args[0], only=args[1] if len(args) > 1 else None)
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            # A mistyped name gets the same "Did you mean" as a group's commands do, from
            # every name (the groups not loaded yet included).
            if args and "Did you mean" not in exc.message:
                import difflib

                close = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if close:
                    shown = ", ".join(repr(name) for name in close)
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {shown}?"
            raise

    def load(self, name: str, only: Optional[str] = None) -> click.Command:
        """Import the module of ``name`` and register its real command. ``only``: the
        subcommand about to run, when it comes right after the group's name; then only
        that verb's module is imported and the group is built with it alone (importing
        and building each costs time)."""
        real = self.commands.get(name)
        if real is None:
            module: Any = importlib.import_module(self.entries[name].module)
            app: typer.Typer = module.app
            verbs: Dict[str, str] = getattr(app, "verbs", {})
            if verbs:
                picked = [only] if only in verbs else list(verbs)
                app = _with_verbs(app, {verb: verbs[verb] for verb in picked})
                real = click.get_group(app) if len(verbs) > 1 else click.get_command(app)
            else:
                real = click.get_command(app)
            real.name = name
            if self.entries[name].global_options:
                attach(real)  # the global options work after the command too
            attach_help(real)
            self.add_command(real, name)
        return real


class LazyTyper(typer.Typer):
    """A group's app whose verbs are named by where they live (``verbs``: name ->
    ``"module:function"``), imported when the group is loaded: all of them for the
    group's help and completion, the one about to run otherwise."""

    verbs: Dict[str, str]


def _with_verbs(app: typer.Typer, verbs: Dict[str, str]) -> typer.Typer:
    """A copy of ``app`` with ``verbs`` imported and registered, in their order."""
    import copy

    built = copy.copy(app)
    built.registered_commands = list(app.registered_commands)
    for verb, where in verbs.items():
        module_name, _, attr = where.partition(":")
        built.command(verb)(getattr(importlib.import_module(module_name), attr))
    return built


def group(
    help: Optional[str] = None,
    commands: Optional[Dict[str, str]] = None,
    *,
    callback: Optional[Callable[..., Any]] = None,
    one_of_many: bool = False,
    no_args_is_help: bool = False,
    invoke_without_command: bool = False,
) -> typer.Typer:
    """A group's ``app`` (what an ``Entry``'s module defines): its ``commands`` (name ->
    ``"module:function"``, in the order they are listed, each imported only when needed),
    and rich markup in every help — Typer before 0.13 gave a group none, and showed the
    tags as they are. ``one_of_many``: a group of one command that stays a group
    (``akool voice list`` reads as the group will grow), not a lone command."""
    app = LazyTyper(
        add_completion=False,
        rich_markup_mode="rich",
        help=help,
        no_args_is_help=no_args_is_help,
        invoke_without_command=invoke_without_command,
    )
    app.verbs = dict(commands or {})
    if callback is None and one_of_many:
        callback = _a_group
    if callback is not None:
        app.callback()(callback)
    return app


def _a_group() -> None:
    """The callback of a group that has one command for now."""
