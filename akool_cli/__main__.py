from akool_cli.cli import main

main()
