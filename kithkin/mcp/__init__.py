"""The agent face: Kithkin over the Model Context Protocol, for desktop and server agents.

``agent.py`` makes the MCP server (its tools and resources, thin over the domain's services,
answering in the shapes of the CLI's ``--json``); ``stdio.py`` serves it on standard input and
output for the local owner (`kithkin mcp`); ``http.py`` serves it at ``/mcp`` inside `kithkin
serve`, for whoever a personal access token names.
"""
