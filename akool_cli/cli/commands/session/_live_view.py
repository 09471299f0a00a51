"""``session watch`` on a terminal: the table redrawn in place (rich Live, loaded when the
first view is drawn); during an outage, the last table seen and a line saying so."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from akool_cli.cli.commands.session._listing import session_listing
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.table import Table
from akool_cli.cli.ui.text import sanitize_line


class LiveView:
    """The table, redrawn in place (rich Live) on stdout; during an outage, the last
    table seen and a line saying so."""

    def __init__(self, app_ctx: AppContext, interval: float, until: Optional[str]) -> None:
        self.io = app_ctx.io
        self.interval = interval
        self.until = until
        self._live: Any = None
        self._last: List[Any] = []

    def show(
        self,
        sessions: Optional[List[Any]],
        avatars: Dict[str, str],
        target: Any,
        outage: Any,
        *,
        done: bool = False,
    ) -> None:
        """One frame; ``done``: the watched session got where it was awaited (or never
        will), so the last frame says what it is, not that it is awaited."""
        from rich.console import Group
        from rich.text import Text

        if sessions is not None:
            self._last = sessions
        listing = session_listing(avatars)
        table = Table(*listing.columns)
        for session in self._last:
            table.add_row(*listing.row(session), styles=listing.styles(session))
        note = f"Every {self.interval:g} s · {time.strftime('%H:%M:%S')} · Ctrl-C to stop"
        if target is not None and done:
            note += f" · {target.id} is {target.status_word}"
        elif target is not None:
            note += f" · waiting for {target.id} to be {self.until} (it is {target.status_word})"
        parts: List[Any] = [table.renderable(self.io)]
        if not self._last:
            parts = [Text("No sessions." if sessions is not None else "")]
        if outage.since is not None:
            down = time.monotonic() - outage.since
            parts.append(
                Text(
                    f"Cannot reach the API for {down:.0f} s ({sanitize_line(outage.reason)}); "
                    "still trying",
                    style="yellow",
                )
            )
        view = Group(*parts, Text(note, style="dim"))
        if self._live is None:
            from rich.live import Live

            self._live = Live(view, console=self.io.console(), auto_refresh=False, transient=False)
            self._live.start()
        else:
            self._live.update(view)
        self._live.refresh()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
