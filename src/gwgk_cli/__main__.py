from gwgk_cli.entry import main

main()
