"""SDTM QS: the QLQ-C30 items (EOR0101-EOR0130) and scales (EOR0131-EOR0145).

QSTEST holds neutral names written by the project; replace them with the CDISC CT test
names (codelist C161618) when preparing a submission. The summary score has no CT code:
it is the sponsor-defined C30SUMM.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..instruments.qlq_c30 import ITEMS, SCALES_BY_CODE, SUMMARY_CODE
from .interleave import interleave
from .sdtm_common import (
    categorical,
    constant,
    flag,
    iso_datetimes,
    number_text,
    relabel,
    sequence,
    upper_visit,
    usubjid,
)
from .sdtm_packs import response_texts
from .sdtm_variables import DATASET_LABELS, findings
from .sources import Sources
from .tables import Table, items_frame, scores_frame

QSCAT = "EORTC QLQ-C30 V3.0"
SUMMARY_TESTCD = "C30SUMM"
RECALL_FROM_ITEM = 6  # items 6-30 ask about the past week


def qs_dataset(sources: Sources) -> Table:
    items = sources.memo("items", items_frame)
    items = items[(items["instrument"] == "qlq_c30").to_numpy() & items["item_num"].notna().to_numpy()]
    scores = sources.memo("scores", scores_frame)
    known = list(SCALES_BY_CODE) + [SUMMARY_CODE]
    scores = scores[(scores["instrument"] == "qlq_c30").to_numpy() & scores["scale"].isin(known).to_numpy()]
    items, scores = items.reset_index(drop=True), scores.reset_index(drop=True)
    frame = interleave(_item_rows(sources, items), _score_rows(sources, scores), items["admin_pos"],
                       scores["admin_pos"])
    return finish(frame, sources, "QS", findings("QS", group=False, subcategory=False, interval=True))


def finish(frame: pd.DataFrame, sources: Sources, domain: str, variables) -> Table:
    frame["STUDYID"] = constant(sources.protocol.code, len(frame))
    frame["DOMAIN"] = constant(domain, len(frame))
    frame[f"{domain}SEQ"] = sequence(frame["USUBJID"])
    return Table(domain.lower(), DATASET_LABELS[domain.lower()], variables, frame[[v.name for v in variables]])


def common(sources: Sources, frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return pd.DataFrame({
        "USUBJID": usubjid(frame["study_code"], sources.protocol.code),
        "VISITNUM": frame["visit_num"].to_numpy(dtype=float),
        "VISIT": upper_visit(frame["visit_code"]),
        f"{prefix}DTC": iso_datetimes(sources, frame),
    })


def _item_rows(sources: Sources, items: pd.DataFrame) -> pd.DataFrame:
    numbers = items["item_num"].to_numpy(dtype=np.int64)
    answered = items["value"].notna().to_numpy()
    rows = common(sources, items, "QS")
    rows["QSCAT"] = constant(QSCAT, len(items))
    rows["QSTESTCD"] = categorical(numbers - 1, [item.sdtm_test_code for item in ITEMS])
    rows["QSTEST"] = categorical(numbers - 1, [f"QLQ-C30 Item {item.number:02d}" for item in ITEMS])
    rows["QSORRES"] = response_texts(sources, items)
    rows["QSSTRESC"] = number_text(items["value"].to_numpy(dtype=float, na_value=np.nan))
    rows["QSSTRESN"] = items["value"].to_numpy(dtype=float, na_value=np.nan)
    rows["QSSTAT"] = flag(~answered, "NOT DONE")
    rows["QSREASND"] = flag(~answered, "NOT ANSWERED")
    rows["QSDRVFL"] = flag(np.zeros(len(items), dtype=bool), "Y")
    rows["QSEVLINT"] = flag(numbers >= RECALL_FROM_ITEM, "-P1W")
    return rows


def _score_rows(sources: Sources, scores: pd.DataFrame) -> pd.DataFrame:
    values = scores["value"].to_numpy(dtype=float)
    scored = ~np.isnan(values)
    rows = common(sources, scores, "QS")
    rows["QSCAT"] = constant(QSCAT, len(scores))
    rows["QSTESTCD"] = relabel(scores["scale"], _testcd)
    rows["QSTEST"] = relabel(scores["scale"], _test)
    rows["QSORRES"] = number_text(values)
    rows["QSSTRESC"] = rows["QSORRES"]
    rows["QSSTRESN"] = values
    rows["QSSTAT"] = flag(~scored, "NOT DONE")
    rows["QSREASND"] = flag(~scored, "TOO FEW ITEMS ANSWERED")
    rows["QSDRVFL"] = flag(np.ones(len(scores), dtype=bool), "Y")
    rows["QSEVLINT"] = flag(np.zeros(len(scores), dtype=bool), "-P1W")
    return rows


def _testcd(code: str) -> str | None:
    """None for the other instruments' scales (categories of rows filtered out)."""
    if code == SUMMARY_CODE:
        return SUMMARY_TESTCD
    return SCALES_BY_CODE[code].sdtm_code if code in SCALES_BY_CODE else None


def _test(code: str) -> str | None:
    if code == SUMMARY_CODE:
        return "QLQ-C30 Summary Score"
    return f"QLQ-C30 {SCALES_BY_CODE[code].name}" if code in SCALES_BY_CODE else None
