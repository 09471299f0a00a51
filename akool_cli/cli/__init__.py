"""The Typer command tree. Commands parse, call a ``run_*`` function, and render."""
