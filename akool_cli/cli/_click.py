"""click, as the installed Typer has it: newer Typer releases carry their own copy
(``typer._click``, which exports less at the top), older ones depend on click itself."""

try:
    from typer._click import core, exceptions, shell_completion, types
    from typer._click import globals as _globals
except ImportError:  # pragma: no cover - older Typer: click itself
    from click import core, exceptions, shell_completion, types  # type: ignore[no-redef]
    from click import globals as _globals  # type: ignore[no-redef]

Context = core.Context
Command = core.Command
ParameterSource = core.ParameterSource
ClickException = exceptions.ClickException
UsageError = exceptions.UsageError
FuncParamType = types.FuncParamType
get_current_context = _globals.get_current_context

__all__ = [
    "ClickException",
    "Command",
    "Context",
    "FuncParamType",
    "ParameterSource",
    "UsageError",
    "get_current_context",
    "shell_completion",
]
