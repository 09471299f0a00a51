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
        subcommand about to run, when it comes right after the group's name; then the
        group is built with that subcommand alone (building each costs time)."""
        real = self.commands.get(name)
        if real is None:
            module: Any = importlib.import_module(self.entries[name].module)
            app = module.app
            infos = {click.command_name(info): info for info in app.registered_commands}
            if only in infos and len(infos) > 1 and not app.registered_groups:
                import copy

                app = copy.copy(app)
                app.registered_commands = [infos[only]]
                real = click.get_group(app)  # still a group, though of one
            else:
                real = click.get_command(app)
            real.name = name
            if self.entries[name].global_options:
                attach(real)  # the global options work after the command too
            attach_help(real)
            self.add_command(real, name)
        return real


def group(
    help: Optional[str] = None,
    commands: Optional[Dict[str, Callable[..., Any]]] = None,
    *,
    callback: Optional[Callable[..., Any]] = None,
    one_of_many: bool = False,
    no_args_is_help: bool = False,
    invoke_without_command: bool = False,
) -> typer.Typer:
    """A group's ``app`` (what an ``Entry``'s module defines): its ``commands`` (name ->
    Typer function, in the order they are listed), and rich markup in every help —
    Typer before 0.13 gave a group none, and showed the tags as they are.
    ``one_of_many``: a group of one command that stays a group (``akool voice list``
    reads as the group will grow), not a lone command."""
    app = typer.Typer(
        add_completion=False,
        rich_markup_mode="rich",
        help=help,
        no_args_is_help=no_args_is_help,
        invoke_without_command=invoke_without_command,
    )
    if callback is None and one_of_many:
        callback = _a_group
    if callback is not None:
        app.callback()(callback)
    for name, function in (commands or {}).items():
        app.command(name)(function)
    return app


def _a_group() -> None:
    """The callback of a group that has one command for now."""
