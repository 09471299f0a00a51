"""A test build of `akool` with twenty more command groups registered (their modules do
not even exist): `akool --help` must cost the same as with the real groups alone."""

import sys

import akool_cli.cli.app as app
from akool_cli.cli import main
from akool_cli.cli.core.lazy import Entry

app.GROUPS.update(
    {f"extra{n}": Entry(f"no_such_module_{n}", f"Extra group {n}.", app.MORE) for n in range(20)}
)

if __name__ == "__main__":
    sys.argv[0] = "akool"
    main()
