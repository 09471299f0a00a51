"""What every command gets: the global options, the IO streams, and lazily built
config store and API client (one per process, so one keep-alive connection)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from akool_cli.api import DEFAULT_BASE_URL, DEFAULT_TIMEOUT
from akool_cli.api.errors import (
    EXIT_INTERRUPTED,
    AkoolError,
    Interrupted,
    UsageError,
)
from akool_cli.output import IOStreams


@dataclass
class AppContext:
    io: IOStreams
    base_url_option: Optional[str] = None
    profile: str = "default"
    timeout: float = DEFAULT_TIMEOUT
    debug: bool = False
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    _cache: Dict[str, Any] = field(default_factory=dict, repr=False)

    # config
    def store(self) -> Any:
        if "store" not in self._cache:
            from akool_cli.config import Store, config_dir

            self._cache["store"] = Store(config_dir(self.env))
        return self._cache["store"]

    def records(self) -> Any:
        if "records" not in self._cache:
            from akool_cli.config import SessionRecords, state_dir

            self._cache["records"] = SessionRecords(state_dir(self.env))
        return self._cache["records"]

    def base_url(self) -> str:
        """The option's, else the profile's (read once per command), else the default."""
        if self.base_url_option:
            return self.base_url_option.rstrip("/")
        if "base_url" not in self._cache:
            stored = self.store().profile(self.profile).get("base_url")
            self._cache["base_url"] = str(stored).rstrip("/") if stored else DEFAULT_BASE_URL
        return self._cache["base_url"]

    def token_cache(self) -> Any:
        if "tokens" not in self._cache:
            from akool_cli.config import TokenCache, state_dir

            self._cache["tokens"] = TokenCache(state_dir(self.env))
        return self._cache["tokens"]

    def credential(self) -> Tuple[Any, str]:
        from akool_cli.config import resolve_credential

        return resolve_credential(self.store(), self.profile, self.env, self.token_cache())

    def max_retries(self) -> int:
        raw = self.env.get("AKOOL_MAX_RETRIES", "2")
        try:
            return max(0, int(raw))
        except ValueError:
            raise UsageError(f"AKOOL_MAX_RETRIES must be a whole number, not {raw!r}") from None

    def debug_line(self, line: str) -> None:
        self.io.err(f"debug: {line}")

    def client(self, credential: Any = None) -> Any:
        """The process's one API client; ``credential`` replaces the resolved one."""
        client = self._cache.get("client")
        if client is None:
            from akool_cli.api.client import Client

            client = Client(
                base_url=self.base_url(),
                credential=credential if credential is not None else self.credential()[0],
                timeout=self.timeout,
                max_retries=self.max_retries(),
                debug=self.debug_line if self.debug else None,
            )
            self._cache["client"] = client
        elif credential is not None:
            client.credential = credential
        return client

    def close(self) -> None:
        client = self._cache.pop("client", None)
        if client is not None:
            client.close()


def run_command(app: AppContext, fn: Callable[..., Optional[int]], *args: Any) -> int:
    """Run a command's ``run`` function; turn every failure into one line and an exit code."""
    try:
        code = fn(*args) or 0
        app.io.flush()
        return code
    except AkoolError as exc:
        if isinstance(exc, Interrupted):
            app.io.err(exc.message)
        else:
            app.io.error(str(exc), exc.hint)
        return exc.exit_code
    except KeyboardInterrupt:
        app.io.err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a line.
        _silence_stdout()
        return 0
    finally:
        app.close()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        pass
