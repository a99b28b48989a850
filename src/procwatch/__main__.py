from procwatch.cli import main

main()
