"""Shell completion: the scripts for bash, zsh and fish, what they ask ``akool`` for, and
installing them (the command is ``commands/completion``).

A script calls ``akool`` with ``_AKOOL_COMPLETE=<shell>`` and the command line up to
the cursor in ``_AKOOL_COMPLETE_ARGS``; ``akool`` answers one completion per line,
before any command runs (see :func:`answer`):

- bash: the value (the script quotes it with ``printf %q`` as it puts it on the line;
  for scripts of earlier versions, which do not, ``akool`` quotes it itself);
- zsh: ``value:description`` (a ``:`` in the value escaped as ``\\:``), read by the
  script as lines, never evaluated, so any character in a description is safe;
  ``_describe`` quotes a value as it inserts it;
- fish: ``value<TAB>description``; fish escapes a value as it inserts it.

Every value reaches the shell's command line, so what ``akool`` offers is checked too:
ids from the record of sessions and from the cached lists keep the rule for ids
(``akool_cli._ids``); whatever else the scripts get, they quote.

The zsh script works both ways zsh loads one: autoloaded from ``fpath`` (it completes
at once, so the first TAB in a new shell already works) and sourced (it registers
itself with ``compdef``).
"""

import errno
import os
import shlex
from pathlib import Path
from typing import Any, List, Mapping, Optional, Tuple

SHELLS = ("bash", "zsh", "fish")
LEGACY_BASH = "complete_bash"  # the request of scripts from earlier versions
VAR = "_AKOOL_COMPLETE"
ARGS_VAR = "_AKOOL_COMPLETE_ARGS"

BASH = """\
# akool completion for bash: source it (e.g. from ~/.bashrc), or put it where
# bash-completion looks (~/.local/share/bash-completion/completions/akool).
# Each value is quoted (printf %q) before it goes on the line: a value is data, never
# shell syntax, whatever it holds.
_akool_completion() {
    local value quoted
    COMPREPLY=()
    while IFS= read -r value; do
        [ -n "$value" ] || continue
        printf -v quoted '%q' "$value"
        COMPREPLY+=("$quoted")
    done < <(_AKOOL_COMPLETE=bash _AKOOL_COMPLETE_ARGS="${COMP_LINE:0:$COMP_POINT}" \\
             "$1" 2>/dev/null)
    return 0
}
complete -o default -F _akool_completion akool
"""

ZSH = """\
#compdef akool
# akool completion for zsh: save it as _akool in a directory on $fpath (before compinit
# runs), or source it after compinit.
_akool() {
    local -a lines
    lines=("${(@f)$(_AKOOL_COMPLETE=zsh _AKOOL_COMPLETE_ARGS="${(j: :)words[1,CURRENT]}" \\
                    ${words[1]} 2>/dev/null)}")
    lines=(${lines:#})
    if (( ${#lines} )); then
        _describe -t values 'akool' lines
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_akool" ]]; then
    _akool "$@"
else
    compdef _akool akool
fi
"""

FISH = """\
# akool completion for fish: save it as ~/.config/fish/completions/akool.fish.
function __akool_complete
    set -l line (commandline -cp | string collect)
    set -l found (env _AKOOL_COMPLETE=fish _AKOOL_COMPLETE_ARGS=$line akool 2>/dev/null)
    if test (count $found) -gt 0
        printf '%s\\n' $found
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c akool -f -a '(__akool_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def script(shell: str) -> str:
    return SCRIPTS[shell]


# -- answering a script ---------------------------------------------------------------


def _split(line: str) -> Tuple[List[str], str]:
    """The words before the cursor's, and the word at the cursor (possibly empty)."""
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote: the last word is being typed
        words = line.split()
        return words[1:-1], (words[-1].lstrip("'\"") if words else "")
    if line.endswith((" ", "\t")) or not words:
        return words[1:], ""
    return words[1:-1], words[-1]


def _request(env: Mapping[str, str]) -> Optional[Tuple[str, List[str], str]]:
    """(shell, args, incomplete) from the environment; None when not asked to complete.
    ``complete_bash`` with COMP_WORDS and COMP_CWORD (what scripts installed by earlier
    versions send) is understood too."""
    value = env.get(VAR)
    if not value:
        return None
    if value == LEGACY_BASH and "COMP_WORDS" in env:
        words = env["COMP_WORDS"].split(" ")
        try:
            cword = int(env.get("COMP_CWORD", len(words) - 1))
        except ValueError:
            cword = len(words) - 1
        incomplete = words[cword] if 0 <= cword < len(words) else ""
        return LEGACY_BASH, words[1:cword], incomplete
    shell = value.replace("complete_", "")
    if shell not in SHELLS:
        return (shell, [], "")
    args, incomplete = _split(env.get(ARGS_VAR, ""))
    return shell, args, incomplete


def _line(shell: str, value: str, help_text: Optional[str]) -> str:
    value = value.replace("\n", " ")
    help_text = " ".join((help_text or "").split())  # one line, whatever it held
    if shell == "zsh":
        escaped = value.replace("\\", "\\\\").replace(":", "\\:")
        return f"{escaped}:{help_text}" if help_text else escaped
    if shell == "fish":
        return f"{value}\t{help_text}" if help_text else value
    if shell == LEGACY_BASH:  # that script puts what it gets on the line as it is
        return shlex.quote(value)
    return value


def answer(command: Any, env: Mapping[str, str] = os.environ) -> Optional[str]:
    """If the environment asks for completions, their lines (maybe empty); else None."""
    request = _request(env)
    if request is None:
        return None
    shell, args, incomplete = request
    if shell not in (*SHELLS, LEGACY_BASH):
        return ""
    from akool_cli.cli.core.click_compat import ShellComplete

    class Completer(ShellComplete):  # only get_completions is used
        name = "akool"
        source_template = ""

        def source_vars(self) -> Any:
            return {}

        def get_completion_args(self) -> Any:
            return args, incomplete

        def format_completion(self, item: Any) -> str:
            return _line(shell, item.value, item.help)

    items = Completer(command, {}, "akool", VAR).get_completions(args, incomplete)
    return "".join(_line(shell, item.value, item.help) + "\n" for item in items)


# -- installing -------------------------------------------------------------------------

MARK = "# akool shell completion"


def detect_shell(env: Mapping[str, str] = os.environ) -> Optional[str]:
    name = os.path.basename(env.get("SHELL", ""))
    return name if name in SHELLS else None


def _xdg(env: Mapping[str, str], name: str, default: Path) -> Path:
    """An XDG base directory; a relative one is ignored, as the specification says."""
    value = env.get(name, "")
    return Path(value) if os.path.isabs(value) else default


def _data_home(env: Mapping[str, str], home: Path) -> Path:
    return _xdg(env, "XDG_DATA_HOME", home / ".local" / "share")


def _config_home(env: Mapping[str, str], home: Path) -> Path:
    return _xdg(env, "XDG_CONFIG_HOME", home / ".config")


MAX_RC_BYTES = 16 * 1024 * 1024  # a shell's rc file is text a person wrote


def _rc_text(rc: Path) -> str:
    """The rc file's text ("" if there is none): a regular file, read within a limit (a
    link to /dev/zero or a FIFO is refused, never read without end)."""
    from akool_cli.local.files import read_regular_file

    try:
        data = read_regular_file(rc, MAX_RC_BYTES)
    except FileNotFoundError:
        return ""
    if len(data) > MAX_RC_BYTES:
        raise OSError(errno.EFBIG, "too large to be a shell's rc file", str(rc))
    return data.decode("utf-8", errors="replace")


SCRIPT_MODE = 0o644  # a script the shell reads: the user's own, readable, like any rc file


def _append(rc: Path, text: str) -> None:
    """Append to the rc file (a link to the user's dotfiles is followed, as the shell
    does); one that does not exist is created 0644, whatever the umask."""
    try:
        fd = os.open(str(rc), os.O_WRONLY | os.O_CREAT | os.O_EXCL, SCRIPT_MODE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, SCRIPT_MODE)
    except FileExistsError:
        fd = os.open(str(rc), os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(text)


def install(shell: str, env: Mapping[str, str] = os.environ) -> List[str]:
    """Write the script where the shell finds it; add to the shell's rc file only the
    lines that make it load it, once. What was done, one line each.

    Whatever the umask: the directories it creates are 0700, the script 0644, a new rc
    file 0644. The script is written atomically: a link in its place is replaced, never
    written through. A directory another user prepared is refused (LocalError)."""
    from akool_cli.local.files import atomic_write_text
    from akool_cli.local.ownership import ensure_private_dir

    home = Path(env.get("HOME") or Path.home())
    done: List[str] = []
    if shell == "fish":
        target = _config_home(env, home) / "fish" / "completions" / "akool.fish"
        rc, lines = None, []
    elif shell == "bash":
        target = _data_home(env, home) / "bash-completion" / "completions" / "akool"
        rc = home / ".bashrc"
        lines = [f"[ -f {shlex.quote(str(target))} ] && . {shlex.quote(str(target))}"]
    else:
        target = home / ".zfunc" / "_akool"
        rc = home / ".zshrc"
        lines = ["fpath=(~/.zfunc $fpath)", "autoload -Uz compinit && compinit"]
    ensure_private_dir(target.parent)
    atomic_write_text(target, script(shell), mode=SCRIPT_MODE)
    done.append(f"wrote {target}")
    if rc is not None:
        existing = _rc_text(rc)
        if MARK not in existing:
            block = "\n".join([MARK, *lines]) + "\n"
            _append(rc, ("\n" if existing and not existing.endswith("\n") else "") + block)
            done.append(f"added {len(lines)} line{'s' if len(lines) > 1 else ''} to {rc}")
        else:
            done.append(f"{rc} already loads it")
    return done


def install_problem(exc: OSError) -> str:
    name = getattr(exc, "filename", None)
    return f"{name}: {exc.strerror or exc}" if name else str(exc.strerror or exc)


def install_for(shell: str, say: Any, env: Mapping[str, str] = os.environ) -> None:
    """Install, and ``say`` what was done, a sentence each. OSError if it cannot."""
    from akool_cli.local.errors import LocalError

    try:
        done = install(shell, env)
    except LocalError as exc:  # a directory refused, a write that failed: said as one
        raise OSError(errno.EPERM, exc.message) from None
    for line in done:
        say(line[0].upper() + line[1:] + ".")
    say("Open a new shell to use it.")
