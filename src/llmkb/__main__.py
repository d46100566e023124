from llmkb.cli.app import main

main()
