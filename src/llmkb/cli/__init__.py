"""The command line: parses arguments, calls services, renders. No SQL here."""
