"""The HTTP API at /api/v1/: a face like the web app and the CLI, thin over the same services,
authorised by personal access tokens (kithkin.accounts.tokens). docs/api.md tells how to use it."""
