"""The machinery every command uses, and no command: the typed context, the error
boundary, options, checks, input, completion, globals, settings, signals, lazy groups,
and the one module that touches Typer's and click's internals."""
