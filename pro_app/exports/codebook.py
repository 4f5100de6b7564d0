"""The codebook: every exported variable with its labels in English and French, type, allowed
values (and the numbers Stata and SPSS store for them), scoring algorithm and version.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .. import csv_safe
from .variables import Variable

LANGUAGES = ("en", "fr")
CONVENTIONS = {
    "missing_values": _l("A missing value is an empty cell in CSV (an empty text is written \"\"), a null in "
                         "Parquet, a system-missing value in SAS, Stata and SPSS."),
    "csv": _l("UTF-8 without byte-order mark, comma separated, one header row, text in double quotes, "
              "dates YYYY-MM-DD, times YYYY-MM-DD HH:MM:SS in UTC, numbers with a dot and full precision."),
    "names": _l("SAS XPORT v5 allows 8-character names: each variable's SAS name is listed as xpt_name. "
                "Stata, SPSS, CSV and Parquet use the full name."),
    "coded_values": _l("Coded text variables are stored as text in CSV, Parquet and SAS, and as the number "
                       "listed as stat_code, with value labels, in Stata and SPSS."),
    "timestamps": _l("File timestamps inside SAS, Stata and SPSS files are fixed at 2000-01-01 00:00 so "
                     "that two exports of the same data are identical; the export time is in manifest.json."),
    "scores": _l("Scores keep full precision; round them only for display."),
    "formulas": _l("In CSV, a text that starts with =, +, - or @ (also after spaces) starts with an apostrophe, "
                   "so that no spreadsheet runs it as a formula; numbers are written as numbers."),
}
CSV_COLUMNS = ("table", "name", "xpt_name", "label_en", "label_fr", "type", "values_en", "values_fr",
               "algorithm", "note_en", "note_fr")


def _both(text) -> dict[str, str]:
    result = {}
    for language in LANGUAGES:
        with force_locale(language):
            result[language] = str(text) if text else ""
    return result


def variable_entry(table: str, variable: Variable) -> dict:
    codes = variable.stat_codes if variable.coded else {}
    return {
        "table": table, "name": variable.name, "xpt_name": variable.short, "label": _both(variable.label),
        "type": variable.kind,
        "values": [{"code": value.code, "stat_code": codes.get(value.code, value.code if not variable.coded else None),
                    "label": _both(value.label)} for value in variable.values],
        "algorithm": variable.algorithm, "note": _both(variable.note),
    }


def build_codebook(tables) -> dict:
    return {
        "conventions": {key: _both(text) for key, text in CONVENTIONS.items()},
        "tables": [{"name": table.name, "label": _both(table.label),
                    "variables": [variable_entry(table.name, variable) for variable in table.variables]}
                   for table in tables],
    }


def write_codebook(root: Path, codebook: dict) -> list[Path]:
    json_path, csv_path = root / "codebook.json", root / "codebook.csv"
    json_path.write_text(json.dumps(codebook, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    with open(csv_path, "w", encoding="utf-8", newline="") as stream:
        writer = csv_safe.writer(stream, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for table in codebook["tables"]:
            for entry in table["variables"]:
                writer.writerow(_csv_row(entry))
    return [csv_path, json_path]


def _csv_row(entry: dict) -> list[str]:
    def values(language):
        return "; ".join(f"{_code(v)}={v['label'][language]}" for v in entry["values"])
    return [entry["table"], entry["name"], entry["xpt_name"], entry["label"]["en"], entry["label"]["fr"],
            entry["type"], values("en"), values("fr"), entry["algorithm"], entry["note"]["en"], entry["note"]["fr"]]


def _code(value: dict) -> str:
    if value["stat_code"] is not None and value["stat_code"] != value["code"]:
        return f"{value['code']} ({value['stat_code']})"
    return str(value["code"])
