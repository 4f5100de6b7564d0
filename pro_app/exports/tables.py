"""The exported tables, built with pandas from the database rows, in a stable row order."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..protocol import Protocol
from . import queries, schema
from .conform import conform
from .instrument_variables import ITEM_ORDER, SCALE_ORDER
from .queries import Scope
from .sources import Sources, as_dates, rank_in
from .variables import Variable

TABLE_NAMES = ("patients", "visits", "messages", "items", "scores", "wide", "mmse")
LONG_TABLES = ("patients", "visits", "messages", "items", "scores")
SUBMITTED = queries.SUBMITTED
_KEYS = ["study_code", "site_code", "visit_code", "visit_num", "instrument"]


@dataclass
class Table:
    name: str
    label: object
    variables: list[Variable]
    frame: pd.DataFrame


def build_tables(protocol: Protocol, scope: Scope, names=TABLE_NAMES) -> dict[str, Table]:
    return tables_from(Sources(protocol, scope), names)


def tables_from(sources: Sources, names=TABLE_NAMES) -> dict[str, Table]:
    """The tables, sharing the sources' frames (the SDTM datasets reuse them too)."""
    from .wide import mmse_table, wide_table
    builders = {"patients": patients_table, "visits": visits_table, "messages": messages_table,
                "items": items_table, "scores": scores_table, "wide": wide_table, "mmse": mmse_table}
    return {name: builders[name](sources) for name in names}


def make_table(name: str, variables: list[Variable], frame: pd.DataFrame) -> Table:
    variables, frame = conform(variables, frame)
    return Table(name, schema.TABLE_LABELS[name], variables, frame)


def patients_table(sources: Sources) -> Table:
    frame = sources.patients.copy()
    frame["status_changed_date"] = as_dates(frame["status_changed_at"])
    frame["sms_consent"] = frame["sms_consent"].astype("Int64")
    return make_table("patients", schema.patients(sources.protocol), frame)


def visits_table(sources: Sources) -> Table:
    frame = sources.administrations.copy()
    frame["days_from_radiotherapy"] = (frame["completion_date"] - as_dates(frame["radiotherapy_date"])).dt.days
    frame["timing"] = timing(frame)
    return make_table("visits", schema.visits(sources.protocol), frame)


def timing(frame: pd.DataFrame) -> np.ndarray:
    """In window, late or early from the completion date; otherwise from the visit status."""
    done = frame["admin_status"].isin(SUBMITTED).to_numpy()
    completed = frame["completion_date"]
    status = frame["visit_status"].astype(str).to_numpy()
    closed = np.isin(status, ("missed", "completed", "partial"))
    result = np.where(np.isin(status, ("not_done", "cancelled")), status, np.where(closed, "missed", "pending"))
    late = (completed > as_dates(frame["window_closes"])).to_numpy()
    early = (completed < as_dates(frame["window_opens"])).to_numpy()
    return np.where(done, np.where(late, "late", np.where(early, "early", "in_window")), result).astype(object)


def messages_table(sources: Sources) -> Table:
    frame = queries.messages(sources.scope)
    patients = sources.patients.set_index("patient_id")
    position = patients.index.get_indexer(frame["patient_id"])
    frame["study_code"] = patients["study_code"].to_numpy()[position]
    frame["site_code"] = patients["site_code"].to_numpy()[position]
    frame["patient_order"] = patients["patient_order"].to_numpy()[position]
    admin = sources.admin_columns(frame, ["visit_code", "visit_num", "instrument"])
    frame[admin.columns] = admin.to_numpy()
    for column in ("due_at", "sent_at", "status_changed_at"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    frame = frame.sort_values(["patient_order", "due_at", "message_id"], kind="stable", ignore_index=True)
    return make_table("messages", schema.messages(sources.protocol), frame)


def _with_admin_keys(sources: Sources, frame: pd.DataFrame, sort_key: np.ndarray) -> pd.DataFrame:
    """The rows with their visit keys, in export order: the administrations are already in
    (patient, visit, instrument) order, so their position is the first sort key."""
    order = np.lexsort((sort_key, frame["admin_pos"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    keyed = pd.concat([sources.admin_columns(frame, _KEYS), frame], axis=1)
    keyed["sort_key"] = sort_key[order]
    return keyed


def items_frame(sources: Sources) -> pd.DataFrame:
    """Answers with their visit keys, sorted; keeps administration_id for the SDTM datasets."""
    answers = sources.positioned(queries.answers(sources.scope))
    instruments = sources.admin_columns(answers, ["instrument"])["instrument"]
    numbers = _item_numbers(answers["item_code"], instruments)
    frame = _with_admin_keys(sources, answers.assign(item_num=numbers), numbers.fillna(10_000).to_numpy())
    frame["value"] = frame["value"].astype("Int64")
    return frame


def items_table(sources: Sources) -> Table:
    return make_table("items", schema.items(sources.protocol), sources.memo("items", items_frame))


def _item_numbers(codes: pd.Series, instruments: pd.Series) -> pd.Series:
    """The item's number within its instrument (missing for codes the instrument lacks)."""
    numbers = np.full(len(codes), np.nan)
    positions = codes.cat.codes.to_numpy()
    for instrument, order in ITEM_ORDER.items():
        lookup = np.array([order.get(code, np.nan) for code in codes.cat.categories] + [np.nan])
        rows = (instruments == instrument).to_numpy()
        numbers[rows] = lookup[positions[rows]]
    return pd.Series(numbers).astype("Int64")


def scores_frame(sources: Sources) -> pd.DataFrame:
    scores = sources.positioned(queries.scores(sources.scope))
    instruments = sources.admin_columns(scores, ["instrument"])["instrument"]
    sort_key = np.zeros(len(scores), dtype=np.int64)
    for instrument, order in SCALE_ORDER.items():
        rows = (instruments == instrument).to_numpy()
        sort_key[rows] = rank_in(scores["scale"][rows], tuple(order))
    frame = _with_admin_keys(sources, scores, sort_key)
    frame["value"] = frame["value"].astype("float64")
    return frame


def scores_table(sources: Sources) -> Table:
    return make_table("scores", schema.scores(sources.protocol), sources.memo("scores", scores_frame))
