from gwgk_cli.cli import main

main()
