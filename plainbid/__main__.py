from plainbid.cli import main

main()
