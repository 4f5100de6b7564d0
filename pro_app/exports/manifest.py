"""manifest.json: each file's name, format, rows and SHA-256, plus when, by whom and with
which app version the export was made. Only the time and the exporter differ between two
exports of the same data.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .formats import FileRecord


@dataclass(frozen=True)
class Exporter:
    """Who ran the export: a staff member (web, API) or the command line."""

    kind: str  # "staff" | "command_line"
    id: int | None = None
    email: str | None = None
    role: str | None = None

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


def build_manifest(files: list[FileRecord], *, study: str, protocol_sha256: str, site: str | None,
                   formats: list[str], exporter: Exporter, now: datetime | None = None) -> dict:
    now = now or datetime.now(timezone.utc)
    return {
        "export_time": now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "exported_by": exporter.as_dict(),
        "app_version": __version__,
        "study": study,
        "protocol_sha256": protocol_sha256,
        "site": site or "all",
        "formats": formats,
        "files": [asdict(record) for record in sorted(files, key=lambda record: record.name)],
    }


def write_manifest(root: Path, manifest: dict) -> Path:
    path = root / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
