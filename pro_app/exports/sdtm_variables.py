"""CDISC SDTM variables of the QS, FT and SUPPFT datasets (names are already SAS names)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .variables import Variable, var


def _sdtm(name: str, label, kind: str = "string") -> Variable:
    return var(name, name, label, kind)


def findings(prefix: str, *, group: bool, subcategory: bool, interval: bool) -> list[Variable]:
    """The Findings variables of one domain (QS or FT), in SDTM order."""
    p = prefix
    variables = [
        _sdtm("STUDYID", _l("Study Identifier")),
        _sdtm("DOMAIN", _l("Domain Abbreviation")),
        _sdtm("USUBJID", _l("Unique Subject Identifier")),
        _sdtm(f"{p}SEQ", _l("Sequence Number"), "integer"),
        _sdtm(f"{p}GRPID", _l("Group ID")),
        _sdtm(f"{p}TESTCD", _l("Short Name of Test or Question")),
        _sdtm(f"{p}TEST", _l("Name of Test or Question")),
        _sdtm(f"{p}CAT", _l("Category")),
        _sdtm(f"{p}SCAT", _l("Subcategory")),
        _sdtm(f"{p}ORRES", _l("Result or Finding in Original Units")),
        _sdtm(f"{p}STRESC", _l("Character Result in Std Format")),
        _sdtm(f"{p}STRESN", _l("Numeric Result in Standard Units"), "number"),
        _sdtm(f"{p}STAT", _l("Completion Status")),
        _sdtm(f"{p}REASND", _l("Reason Not Performed")),
        _sdtm(f"{p}DRVFL", _l("Derived Flag")),
        _sdtm(f"{p}EVLINT", _l("Evaluation Interval")),
        _sdtm("VISITNUM", _l("Visit Number"), "number"),
        _sdtm("VISIT", _l("Visit Name")),
        _sdtm(f"{p}DTC", _l("Date/Time of Finding")),
    ]
    optional = {f"{p}GRPID": group, f"{p}SCAT": subcategory, f"{p}EVLINT": interval}
    dropped = {name for name, wanted in optional.items() if not wanted}
    return [v for v in variables if v.name not in dropped]


SUPP = [
    _sdtm("STUDYID", _l("Study Identifier")),
    _sdtm("RDOMAIN", _l("Related Domain Abbreviation")),
    _sdtm("USUBJID", _l("Unique Subject Identifier")),
    _sdtm("IDVAR", _l("Identifying Variable")),
    _sdtm("IDVARVAL", _l("Identifying Variable Value")),
    _sdtm("QNAM", _l("Qualifier Variable Name")),
    _sdtm("QLABEL", _l("Qualifier Variable Label")),
    _sdtm("QVAL", _l("Data Value")),
    _sdtm("QORIG", _l("Origin")),
]
DATASET_LABELS = {"qs": _l("Questionnaires"), "ft": _l("Functional Tests"),
                  "suppft": _l("Supplemental Qualifiers for FT")}
