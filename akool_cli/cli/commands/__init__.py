"""The commands: one package per group (its ``app``), one module per verb — a frozen
options value, ``run_x(opts, app_ctx) -> int``, and the Typer function that builds the
options and calls ``invoke``."""
