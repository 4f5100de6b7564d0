"""Which files each export format writes, and their checksums."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .writers.arrow_formats import write_csv, write_parquet
from .writers.spss import write_sav
from .writers.stata import write_dta
from .writers.xport import write_xport

TABLE_FORMATS = ("csv", "parquet", "xpt", "dta", "sav")
FORMATS = TABLE_FORMATS + ("sdtm",)
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "xpt": "xpt", "dta": "dta", "sav": "sav"}
FORMAT_LABELS = {"csv": "CSV (UTF-8)", "parquet": "Apache Parquet", "xpt": "SAS XPORT v5",
                 "dta": "Stata 14+ (.dta 118)", "sav": "SPSS (.sav)", "sdtm": "CDISC SDTM (QS, FT, SUPPFT)"}
_WRITERS = {"csv": write_csv, "parquet": write_parquet, "dta": write_dta, "sav": write_sav,
            "xpt": lambda path, table: write_xport(path, table, table.name)}


@dataclass(frozen=True)
class FileRecord:
    name: str  # relative to the export directory, with "/"
    format: str
    table: str
    rows: int
    sha256: str
    bytes: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def record_file(root: Path, path: Path, fmt: str, table: str, rows: int) -> FileRecord:
    return FileRecord(path.relative_to(root).as_posix(), fmt, table, rows, sha256_of(path), path.stat().st_size)


def write_tables(root: Path, fmt: str, tables) -> list[FileRecord]:
    """One file per table in a folder named after the format."""
    folder = root / fmt
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for table in tables:
        path = folder / f"{table.name}.{EXTENSIONS[fmt]}"
        rows = _WRITERS[fmt](path, table)
        records.append(record_file(root, path, fmt, table.name, rows))
    return records


def write_sdtm(root: Path, datasets) -> list[FileRecord]:
    """Each SDTM dataset as SAS XPORT v5 (the submission format) and as CSV."""
    folder = root / "sdtm"
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for dataset in datasets:
        for fmt, extension in (("xpt", "xpt"), ("csv", "csv")):
            path = folder / f"{dataset.name}.{extension}"
            rows = _WRITERS[fmt](path, dataset)
            records.append(record_file(root, path, f"sdtm-{fmt}", dataset.name, rows))
    return records
