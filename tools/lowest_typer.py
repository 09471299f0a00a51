"""A virtualenv with the lowest Typer, and the lowest click, that pyproject.toml allows:
`make lowest-typer` runs the parsing, completion and help tests in it, so that a Typer we
allow never breaks a command silently (see akool_cli/cli/core/click_compat.py).

    python tools/lowest_typer.py VENV

Prints the versions it installed. Typer's own lower bound on click (that of typer-slim,
where Typer splits in two) is read from the installed Typer's metadata.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--prefer-binary"]
# what the chosen tests need besides the package and its emulator extra
TEST_TOOLS = [
    "pytest>=7.4",
    "pytest-timeout>=2.1",
    "pytest-xdist>=3.3",
    "pexpect>=4.8",
    "pyte>=0.8",
]


def lowest(requirement: str, text: str) -> str:
    found = re.search(rf'"{re.escape(requirement)}>=([0-9][0-9.]*)', text)
    if found is None:
        raise SystemExit(f"pyproject.toml names no lower bound for {requirement}")
    return found.group(1)


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / ".venv-lowest")
    typer = lowest("typer", (ROOT / "pyproject.toml").read_text())
    python = target / "bin" / "python"
    if not python.exists():
        venv.create(target, with_pip=True)
    run = [str(python), *PIP]
    subprocess.run([*run, "-e", f"{ROOT}[emulator]", *TEST_TOOLS], check=True)
    subprocess.run([*run, f"typer=={typer}"], check=True)
    ask = (
        "import importlib.metadata as m, json\n"
        "reqs = []\n"
        "for name in ('typer', 'typer-slim'):\n"
        "    try:\n        reqs += m.requires(name) or []\n"
        "    except m.PackageNotFoundError:\n        pass\n"
        "print(json.dumps(reqs))\n"
    )
    reqs = json.loads(subprocess.run([str(python), "-c", ask], check=True, capture_output=True,
                                     text=True).stdout)  # fmt: skip
    click = next((re.search(r">=\s*([0-9.]+)", r) for r in reqs if r.startswith("click")), None)
    pinned = [f"typer=={typer}"]
    slim = [r for r in reqs if r.startswith("typer-slim")]
    if slim:
        pinned.append(f"typer-slim=={typer}")
    if click is not None:
        pinned.append(f"click=={click.group(1)}")
    # forced: Typer 0.12 ships its module in typer-slim, whose files the step above may
    # have taken away again while it replaced a newer typer
    subprocess.run([*run, "--no-deps", "--force-reinstall", *pinned], check=True)
    print("lowest:", ", ".join(pinned))
    return 0


if __name__ == "__main__":
    sys.exit(main())
