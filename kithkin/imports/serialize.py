"""Imports as plain data, for `--json` output and the HTTP API alike."""

from __future__ import annotations

from typing import Any

from kithkin.imports.models import Import


def import_data(run: Import) -> dict[str, Any]:
    """One import made (`kithkin imports --json`)."""
    return {
        "id": run.pk,
        "format": run.format,
        "layout": run.layout,
        "file": run.filename,
        "created_at": run.created_at.isoformat(),
        "counts": run.counts,
    }
