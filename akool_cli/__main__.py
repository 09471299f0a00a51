from akool_cli.cli.app import main

main()
