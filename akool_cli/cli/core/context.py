"""What every command gets: the global options, the IO streams, and — built on first use,
each typed — the profile store, the API client (one per process, one keep-alive
connection; a command that works concurrently gives each worker a copy) and the session
service. (What becomes of a failure is the error boundary's business: ``boundary``.)"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ContextManager,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
)

import typer

from akool_cli._urls import redact_url
from akool_cli.api import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_RETRIES_LIMIT
from akool_cli.cli.core import globals, validate
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.settings import setting
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.pager import paged
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import LocalError, SettingError
from akool_cli.local.files import config_dir, state_dir
from akool_cli.local.profiles import Store
from akool_cli.local.records import SessionRecords
from akool_cli.local.tokens import TokenFile
from akool_cli.services.credentials import AnyCredential, resolve_credential

T = TypeVar("T")

if TYPE_CHECKING:  # loaded when first built: the HTTP stack comes with them
    from akool_cli.api.client import Client
    from akool_cli.services.sessions import SessionService


@dataclass
class AppContext:
    io: IOStreams
    base_url_option: Optional[str] = None
    profile_option: Optional[str] = None  # --profile / AKOOL_PROFILE; None: the chosen one
    api_version_option: Optional[str] = None  # --api-version / AKOOL_API_VERSION
    timeout: float = DEFAULT_TIMEOUT
    debug: bool = False
    insecure: bool = False
    no_pager: bool = False
    json_errors: bool = False  # the command was asked for --json: errors as JSON too
    command_path: str = "akool"  # e.g. "akool session list", for help hints
    sources: Dict[str, str] = field(default_factory=dict)  # global option -> flag|env|default
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    # What the command works on, so that a failure's hint can name it (see ``about``).
    subject_session: Optional[str] = None
    subject_avatar: Optional[str] = None
    avatar_sent: bool = False  # subject_avatar went to the API as a parameter (create)
    _cache: Dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.io.redact = self.redact  # a server may echo the credential back in a message

    @classmethod
    def for_command(cls, ctx: typer.Context, *, json_errors: bool = False) -> AppContext:
        """The context of the command ``ctx`` parsed: the system's streams and the global
        options, wherever on the line they were typed."""
        given = globals.values(ctx)
        return cls(
            io=IOStreams.system(),
            base_url_option=given["base_url"][0],
            profile_option=given["profile"][0],
            api_version_option=given["api_version"][0],
            timeout=given["timeout"][0],
            debug=given["debug"][0],
            insecure=given["insecure"][0],
            no_pager=given["no_pager"][0],
            json_errors=json_errors,
            command_path=ctx.command_path,
            sources={name: source for name, (_, source) in given.items()},
        )

    def redact(self, text: str) -> str:
        """``text`` with every secret this command knows replaced by ``***``."""
        for secret in self.secrets():
            if secret in text:
                text = text.replace(secret, "***")
        return text

    def about(
        self,
        *,
        session_id: Optional[str] = None,
        avatar_id: Optional[str] = None,
        avatar_sent: bool = False,
    ) -> None:
        """Note what the command works on (for the hints of its failures)."""
        if session_id is not None:
            self.subject_session = session_id
            self.hold_secrets_of([session_id])
        if avatar_id is not None:
            self.subject_avatar = avatar_id
            self.avatar_sent = self.avatar_sent or avatar_sent

    @property
    def profile(self) -> str:
        """--profile, else AKOOL_PROFILE, else the one `auth switch` chose, else default."""
        if self.profile_option is not None:
            return self.profile_option.strip()

        def build() -> str:
            try:
                return self.store().current_profile() or DEFAULT_PROFILE
            except LocalError:
                return DEFAULT_PROFILE  # a broken config says so where it is read for real

        return self._once("profile", build)

    def check_globals(self) -> None:
        """The global options, checked before anything is sent (they may come from the
        environment, so the parser alone cannot)."""
        if self.profile_option is not None:
            validate.profile_name(self.profile_option)
        if self.base_url_option is not None:
            validate.base_url(self.base_url_option)

    def _once(self, key: str, build: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = build()
        found: T = self._cache[key]
        return found

    # local files
    def store(self) -> Store:
        return self._once("store", lambda: Store(config_dir(self.env)))

    def records(self) -> SessionRecords:
        return self._once("records", lambda: SessionRecords(state_dir(self.env), note=self.note))

    def token_cache(self) -> TokenFile:
        return self._once("tokens", lambda: TokenFile(state_dir(self.env)))

    def shown_base_url(self) -> str:
        """The base URL as it may be printed: any password in it redacted."""
        return redact_url(self.base_url())

    def pager(self) -> ContextManager[None]:
        """A context in which stdout goes through the pager, on a terminal (see pager.py)."""
        return paged(self.io, self.env, enabled=not self.no_pager)

    def setting(self, key: str) -> Tuple[Any, str]:
        """A setting's value and where it came from: "flag", "env", "profile", "default".
        The command line wins, then the environment, then the profile, then the default."""
        spec = setting(key)
        options = {
            "base_url": self.base_url_option,
            "timeout": self.timeout,
            "api_version": self.api_version_option,
        }
        if key in options and self.sources.get(key) in ("flag", "env"):
            return options[key], self.sources[key]
        if key == "api_version" and not self.sources:  # an AppContext made by hand
            if self.api_version_option is not None:
                return spec.check(self.api_version_option), "flag"
            if self.env.get(spec.env or ""):
                return spec.check(self.env[spec.env or ""]), "env"
        profile = self._once("profile_settings", lambda: self.store().profile(self.profile))
        stored = profile.get(key)
        if stored is not None:
            try:
                return spec.check(stored), "profile"
            except Exception:
                if key in ("base_url", "timeout", "api_version"):
                    # Never fall back to the real service (with this profile's credential)
                    # or to another timeout behind the user's back: say so and stop.
                    shown = redact_url(str(stored)) if key == "base_url" else stored
                    raise UsageError(
                        f"the profile {self.profile!r} has a {key} that cannot be used: {shown!r}",
                        hint=f"set it again: akool config set {key} VALUE (or unset it)",
                    ) from None
                warned = self._cache.setdefault("warned_settings", set())
                if key not in warned:
                    warned.add(key)
                    self.io.warn(f"ignoring the profile's {key} {stored!r}: not a valid value")
        return spec.default, "default"

    def base_url(self) -> str:
        """The option's, else the profile's (read once per command), else the default."""
        if self.base_url_option:
            return self.base_url_option.rstrip("/")
        return self._once("base_url", lambda: str(self.setting("base_url")[0]).rstrip("/"))

    def api_version(self) -> str:
        """--api-version / AKOOL_API_VERSION, else the profile's, else v4."""
        return self._once("api_version", lambda: str(self.setting("api_version")[0]))

    def request_timeout(self) -> float:
        """--timeout / AKOOL_TIMEOUT, else the profile's, else the default."""
        if self.sources.get("timeout") in ("flag", "env") or not self.sources:
            return self.timeout
        return float(self.setting("timeout")[0])

    credential_source: Optional[str] = None  # where the credential came from, once known

    def credential(self) -> Tuple[Optional[AnyCredential], str]:
        credential, source = resolve_credential(
            self.store(), self.profile, self.env, self.token_cache()
        )
        self.credential_source = source
        return credential, source

    def max_retries(self) -> int:
        raw = self.env.get("AKOOL_MAX_RETRIES", str(DEFAULT_MAX_RETRIES))
        if not re.fullmatch(r"[0-9]{1,3}", raw.strip()) or int(raw) > MAX_RETRIES_LIMIT:
            raise SettingError(
                f"AKOOL_MAX_RETRIES must be a whole number from 0 to {MAX_RETRIES_LIMIT}, "
                f"not {raw!r}"
            )
        return int(raw)

    def debug_line(self, line: str) -> None:
        self.io.err(f"debug: {line}")

    def note(self, line: str) -> None:
        """A ``debug:`` line with --debug; nothing otherwise (e.g. a record skipped)."""
        if self.debug:
            self.debug_line(line)

    # the API
    def client(self, credential: Optional[AnyCredential] = None) -> Client:
        """The process's one API client; ``credential`` replaces the resolved one."""
        client: Optional[Client] = self._cache.get("client")
        if client is None:
            from akool_cli.api.client import Client

            client = Client(
                base_url=self.base_url(),
                credential=credential if credential is not None else self.credential()[0],
                timeout=self.request_timeout(),
                max_retries=self.max_retries(),
                debug=self.debug_line if self.debug else None,
                allow_insecure=self.insecure,
                api_version=self.api_version(),
            )
            self._cache["client"] = client
        elif credential is not None:
            client.credential = credential
        return client

    def sessions(self) -> SessionService:
        """The session service (create, wait, chat rooms, close) for this command."""

        def build() -> SessionService:
            from akool_cli.services.sessions import SessionService

            return SessionService(
                self.client,
                self.records,
                base_url=self.base_url(),
                warn=self.io.warn,
                api_version=self.api_version(),
            )

        return self._once("sessions", build)

    def close(self) -> None:
        client = self._cache.pop("client", None)
        if client is not None:
            client.close()

    def hold_secrets_of(
        self, session_ids: Iterable[str], answer: Optional[Dict[str, Any]] = None
    ) -> None:
        """Redact, as the API key is, the tokens of the sessions at hand: those their local
        records hold (read once, quietly, best effort), and those of ``answer`` (create's)."""
        from akool_cli.services.recorded import secrets_in

        held = self._cache.setdefault("held_secrets", [])
        held += secrets_in(answer)
        wanted = set(session_ids)
        if not wanted:
            return
        try:
            records = self.records().all()
        except Exception:  # a record that cannot be read holds nothing to redact
            return
        for record in records:
            if record["id"] in wanted:
                held += secrets_in(record)

    def secrets(self) -> List[str]:
        """Every secret this command may know, to keep out of anything printed."""
        found = [self.env.get(name, "") for name in SECRET_ENV]
        found += self._cache.get("held_secrets", [])
        client = self._cache.get("client")
        if client is not None:
            found += client._secrets()
        return [s for s in found if s and len(s) >= 4]


SECRET_ENV = ("AKOOL_TOKEN", "AKOOL_API_KEY", "AKOOL_CLIENT_SECRET")
