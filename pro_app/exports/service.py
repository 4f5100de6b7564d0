"""Run an export: build the tables once, write every requested format, the codebook and the
manifest, and audit it (the caller commits).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale

from ..audit.services import Actor, record
from ..protocol import Protocol
from ..study.models import Site
from .codebook import build_codebook, write_codebook
from .formats import (
    FORMATS,
    TABLE_FORMATS,
    FileRecord,
    record_file,
    write_sdtm,
    write_tables,
)
from .manifest import Exporter, build_manifest, write_manifest
from .queries import Scope
from .sdtm_ft import ft_dataset
from .sdtm_qs import qs_dataset
from .sdtm_supp import suppft_dataset
from .sources import Sources
from .tables import TABLE_NAMES, Table, tables_from


class ExportError(ValueError):
    """Bad export request; the message says which option and why."""


@dataclass(frozen=True)
class ExportResult:
    root: Path
    files: list[FileRecord]
    manifest: dict


def expand_formats(requested: list[str]) -> list[str]:
    chosen = FORMATS if "all" in requested else tuple(requested)
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise ExportError(f"format: choose among {', '.join(FORMATS)} or all (got {', '.join(unknown) or 'nothing'})")
    return [name for name in FORMATS if name in chosen]


def run_export(protocol: Protocol, requested: list[str], root: Path, site: Site | None,
               exporter: Exporter, actor: Actor | None = None) -> ExportResult:
    formats = expand_formats(requested)
    root.mkdir(parents=True, exist_ok=True)
    sources = Sources(protocol, Scope(site.id if site else None))
    with force_locale("en"):
        files, documented = _write_all(sources, formats, root)
    variables = sum(len(table.variables) for table in documented)
    files += [record_file(root, path, "codebook", "codebook", variables)
              for path in write_codebook(root, build_codebook(documented))]
    manifest = build_manifest(files, study=protocol.code, protocol_sha256=protocol.sha256,
                              site=site.code if site else None, formats=formats, exporter=exporter)
    write_manifest(root, manifest)
    _audit(manifest, actor)
    return ExportResult(root, files, manifest)


def _write_all(sources: Sources, formats: list[str], root: Path):
    files, documented = [], []
    table_formats = [name for name in formats if name in TABLE_FORMATS]
    if table_formats:
        tables = list(tables_from(sources, TABLE_NAMES).values())
        for name in table_formats:
            files += write_tables(root, name, tables)
        documented += [_description(table) for table in tables]
        del tables
    if "sdtm" in formats:
        for build in (qs_dataset, ft_dataset, suppft_dataset):
            dataset = build(sources)  # one at a time: the largest holds millions of rows
            files += write_sdtm(root, [dataset])
            documented.append(_description(dataset))
    return files, documented


def _description(table: Table) -> Table:
    """What the codebook needs of a table: its variables, not its rows."""
    return Table(table.name, table.label, table.variables, None)


def _audit(manifest: dict, actor: Actor | None) -> None:
    files = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    tables = sorted({entry["table"] for entry in manifest["files"]})
    record("export", "export", None, new={"site": manifest["site"], "formats": manifest["formats"],
                                          "tables": tables, "files": files}, actor=actor,
           reason=f"export by {manifest['exported_by'].get('email') or manifest['exported_by']['kind']}")
