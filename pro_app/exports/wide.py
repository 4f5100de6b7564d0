"""Wide tables: one row per patient and visit (every item and score), and one per MMSE."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import instrument_variables as iv
from . import schema
from .sources import Sources
from .tables import SUBMITTED, Table, make_table
from .variables import Variable

_VISIT_KEYS = ["study_code", "site_code", "visit_code", "visit_num"]


def wide_table(sources: Sources) -> Table:
    admins = sources.administrations
    first = ~admins.duplicated(["patient_id", "visit_code"])
    frame = admins.loc[first, _VISIT_KEYS + ["patient_id"]].reset_index(drop=True)
    row_of = _rows_by_visit(admins, frame)
    variables = schema.visit_keys(sources.protocol)
    for instrument in ("qlq_c30", "mmse"):
        variables += _add_instrument(frame, sources, instrument, row_of)
    return make_table("wide", variables, frame)


def mmse_table(sources: Sources) -> Table:
    admins = sources.administrations
    chosen = (admins["instrument"] == "mmse") & admins["admin_status"].isin(SUBMITTED)
    frame = admins.loc[chosen].reset_index(drop=True)
    details = frame["details"].map(lambda value: value if isinstance(value, dict) else {})
    frame["attention_rule"] = details.map(lambda d: d.get("attention_rule"))
    frame["word_list"] = details.map(lambda d: d.get("word_list") or d.get("variant"))
    row_of = pd.Series(np.arange(len(frame)), index=frame["administration_id"].to_numpy())
    variables = schema.visit_keys(sources.protocol) + schema.mmse_details()
    variables += _add_instrument(frame, sources, "mmse", row_of)
    return make_table("mmse", variables, frame)


def _rows_by_visit(admins: pd.DataFrame, visits: pd.DataFrame) -> pd.Series:
    """administration id -> row of its visit in the wide frame."""
    def keys(frame):
        return pd.MultiIndex.from_arrays([frame["patient_id"].to_numpy(), frame["visit_code"].astype(object)])
    return pd.Series(keys(visits).get_indexer(keys(admins)), index=admins["administration_id"].to_numpy())


def _add_instrument(frame: pd.DataFrame, sources: Sources, instrument: str, row_of: pd.Series) -> list[Variable]:
    items = _item_columns(instrument)
    scores = _score_columns(sources, instrument)
    for columns, source, code_column in ((items, sources.answers, "item_code"), (scores, sources.scores, "scale")):
        for variable, values in _pivot(sources, source, code_column, instrument, columns, row_of, len(frame)):
            frame[variable.name] = values
    return [variable for _, variable in items + scores]


def _item_columns(instrument: str) -> list[tuple[str, Variable]]:
    if instrument == "qlq_c30":
        return [(f"q{number}", variable) for number, variable in enumerate(iv.qlq_item_variables(), start=1)]
    return list(zip(iv.MMSE_ITEM_CODES, iv.mmse_item_variables()))


def _score_columns(sources: Sources, instrument: str) -> list[tuple[str, Variable]]:
    if instrument == "qlq_c30":
        return [(code, iv.qlq_score_variable(code)) for code in iv.SCALE_ORDER["qlq_c30"]]
    scores = sources.scores
    instruments = sources.admin_columns(scores["administration_id"], ["instrument"])["instrument"]
    seen = set(scores.loc[(instruments == instrument).to_numpy(), "scale"].astype(object))
    codes = list(iv.MMSE_SCORE_CODES) + sorted(seen - set(iv.MMSE_SCORE_CODES))
    return [(code, iv.mmse_score_variable(code)) for code in codes]


def _pivot(sources, source, code_column, instrument, columns, row_of, n_rows):
    """One array per column, filled in one vectorised pass over the long rows."""
    instruments = sources.admin_columns(source["administration_id"], ["instrument"])["instrument"]
    rows = row_of.reindex(source["administration_id"].to_numpy()).to_numpy(dtype=float, na_value=np.nan)
    column_of = {code: index for index, (code, _) in enumerate(columns)}
    categorical = pd.Categorical(source[code_column])
    lookup = np.array([column_of.get(str(code), -1) for code in categorical.categories] + [-1])
    cols = lookup[categorical.codes]
    hit = (instruments == instrument).to_numpy() & (cols >= 0) & ~np.isnan(rows) & (rows >= 0)
    rows, cols = rows[hit].astype(np.int64), cols[hit]
    numbers = np.full((n_rows, len(columns)), np.nan)
    numbers[rows, cols] = pd.to_numeric(source["value"].to_numpy()[hit], errors="coerce").astype(float)
    texts = source["text_value"].to_numpy()[hit] if "text_value" in source else None
    for index, (_, variable) in enumerate(columns):
        if variable.kind != "string":
            yield variable, numbers[:, index]
            continue
        column = np.full(n_rows, None, dtype=object)
        chosen = cols == index
        column[rows[chosen]] = texts[chosen]
        yield variable, column
