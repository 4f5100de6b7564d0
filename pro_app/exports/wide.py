"""Wide tables: one row per patient and visit (every item and score), and one per MMSE."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import instrument_variables as iv
from . import schema
from .sources import Sources
from .tables import SUBMITTED, Table, items_frame, make_table, scores_frame
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
    frame["attention_rule"] = frame["details"].map(lambda details: details.get("attention_rule"))
    for key in ("variant", "word_list"):
        frame[key] = frame["details"].map(lambda details, key=key: details.get(key))
    row_of = np.full(len(admins), -1)
    row_of[np.flatnonzero(chosen.to_numpy())] = np.arange(len(frame))
    variables = schema.visit_keys(sources.protocol) + schema.mmse_details()
    variables += _add_instrument(frame, sources, "mmse", row_of)
    return make_table("mmse", variables, frame)


def _rows_by_visit(admins: pd.DataFrame, visits: pd.DataFrame) -> np.ndarray:
    """For each administration (in the administrations' order), the row of its visit."""
    def keys(frame):
        return pd.MultiIndex.from_arrays([frame["patient_id"].to_numpy(), frame["visit_code"].astype(object)])
    return keys(visits).get_indexer(keys(admins))


def _add_instrument(frame: pd.DataFrame, sources: Sources, instrument: str, row_of: np.ndarray) -> list[Variable]:
    items = _item_columns(instrument)
    scores = _score_columns(sources, instrument)
    sources_by_kind = ((items, sources.memo("items", items_frame), "item_code"),
                       (scores, sources.memo("scores", scores_frame), "scale"))
    for columns, source, code_column in sources_by_kind:
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
    scores = sources.memo("scores", scores_frame)
    seen = set(scores.loc[(scores["instrument"] == instrument).to_numpy(), "scale"].astype(object))
    codes = list(iv.MMSE_SCORE_CODES) + sorted(seen - set(iv.MMSE_SCORE_CODES))
    return [(code, iv.mmse_score_variable(code)) for code in codes]


def _pivot(sources, source, code_column, instrument, columns, row_of, n_rows):
    """One array per column, filled in one vectorised pass over the long rows."""
    instruments = source["instrument"]
    rows = row_of[source["admin_pos"].to_numpy()]
    column_of = {code: index for index, (code, _) in enumerate(columns)}
    categorical = pd.Categorical(source[code_column])
    lookup = np.array([column_of.get(str(code), -1) for code in categorical.categories] + [-1])
    cols = lookup[categorical.codes]
    hit = (instruments == instrument).to_numpy() & (cols >= 0) & (rows >= 0)
    rows, cols = rows[hit], cols[hit]
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
