"""The `kithkin` command: every daily action, each a thin layer over the domain's services.

``main`` is the entry point (Django set up once, errors mapped to exit codes), ``app`` assembles
the Typer app from a module per domain, and ``common`` holds what those modules share.
"""
