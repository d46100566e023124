"""Keeping up with arXiv: saved queries that run themselves, the feed of what they found, and triage.

A watch is an arXiv query (arXiv's own syntax) with the categories it is limited to and the tags it gives
what it brings in (`store`). Running it asks arXiv for the newest submissions first and reads down until it
passes the submissions an earlier run already read (`run`); the papers it brings in get the reading status
`new`. The feed lists what the watches found and nobody has decided on yet, by day and by relevance to the
query (`feed`); triage walks it one paper at a time (`triage`, a pure state machine) and records each
decision (`decide`): keep (to-read), dismiss (never again from that query), tag.
"""
