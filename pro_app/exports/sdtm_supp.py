"""SUPPFT: the MMSE attention rule and word list, attached to each MMSE's FTGRPID."""
from __future__ import annotations

import pandas as pd

from .sdtm_common import usubjid
from .sdtm_variables import DATASET_LABELS, SUPP
from .sources import Sources
from .tables import SUBMITTED, Table

QUALIFIERS = (("attention_rule", "ATTRULE", "MMSE attention rule", "ASSIGNED"),
              ("variant", "MMSEVAR", "MMSE version (variant)", "ASSIGNED"),
              ("word_list", "WORDLIST", "MMSE word list", "CRF"))


def suppft_dataset(sources: Sources) -> Table:
    admins = sources.administrations
    admins = admins[(admins["instrument"] == "mmse").to_numpy() & admins["admin_status"].isin(SUBMITTED).to_numpy()]
    rows = []
    for admin in admins.itertuples(index=False):
        details = admin.details
        for key, qnam, qlabel, origin in QUALIFIERS:
            value = details.get(key)
            if value:
                rows.append((admin.study_code, f"MMSE-{str(admin.visit_code).upper()}", qnam, qlabel, str(value),
                             origin))
    frame = pd.DataFrame(rows, columns=["study_code", "IDVARVAL", "QNAM", "QLABEL", "QVAL", "QORIG"])
    frame["USUBJID"] = usubjid(frame["study_code"], sources.protocol.code).to_numpy()
    frame["STUDYID"], frame["RDOMAIN"], frame["IDVAR"] = sources.protocol.code, "FT", "FTGRPID"
    frame = frame.astype({name: "category" for name in frame.columns})
    return Table("suppft", DATASET_LABELS["suppft"], SUPP, frame[[v.name for v in SUPP]].reset_index(drop=True))
