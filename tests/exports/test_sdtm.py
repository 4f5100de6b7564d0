"""CDISC SDTM: QS for the QLQ-C30, FT and SUPPFT for the MMSE, as XPT and CSV."""
import pandas as pd
import pyreadstat

QS_REQUIRED = ["STUDYID", "DOMAIN", "USUBJID", "QSSEQ", "QSTESTCD", "QSTEST", "QSCAT", "QSORRES", "QSSTRESC",
               "QSSTRESN", "QSSTAT", "QSREASND", "QSEVLINT", "VISITNUM", "VISIT", "QSDTC"]
FT_REQUIRED = ["STUDYID", "DOMAIN", "USUBJID", "FTSEQ", "FTTESTCD", "FTTEST", "FTCAT", "FTORRES", "FTSTRESC",
               "FTSTRESN", "FTSTAT", "FTREASND", "VISITNUM", "VISIT", "FTDTC"]


def _both(root, name):
    xpt, meta = pyreadstat.read_xport(str(root / "sdtm" / f"{name}.xpt"))
    csv = pd.read_csv(root / "sdtm" / f"{name}.csv", dtype=str, keep_default_na=False)
    assert list(xpt.columns) == list(csv.columns) and len(xpt) == len(csv)
    assert meta.table_name == name.upper()
    return xpt, csv


def test_qs_has_the_required_variables_and_codes(exported):
    qs, csv = _both(exported, "qs")
    assert set(QS_REQUIRED) <= set(qs.columns)
    assert set(qs["DOMAIN"]) == {"QS"} and set(qs["STUDYID"]) == {"STEP"}
    assert set(qs["QSCAT"]) == {"EORTC QLQ-C30 V3.0"}
    first = qs[(qs["USUBJID"] == "STEP-01-001") & (qs["VISIT"] == "BASELINE")]
    assert first["QSTESTCD"].tolist()[:30] == [f"EOR01{n:02d}" for n in range(1, 31)]
    assert first["QSTESTCD"].tolist()[30:45] == [f"EOR01{n}" for n in range(31, 46)]
    assert first["QSTESTCD"].tolist()[45] == "C30SUMM"
    assert first["QSSEQ"].tolist() == list(range(1, 47))
    assert first["QSSTRESN"].tolist()[:30] == [2, 1, 3, 4, 2, 1, 3, 3, 4, 2, 2, 1, 1, 2, 3, 4, 3, 2, 3, 1, 2, 2, 3, 1,
                                               1, 2, 1, 1, 3, 5]
    assert first["QSDTC"].iloc[0] == "2024-01-08T11:00"  # 10:00 UTC in Paris (winter)


def test_qs_evaluation_interval_only_on_items_6_to_30(exported):
    qs, _ = _both(exported, "qs")
    items = qs[qs["QSDRVFL"] != "Y"]
    numbers = items["QSTESTCD"].str[-2:].astype(int)
    assert set(items.loc[numbers >= 6, "QSEVLINT"]) == {"-P1W"}
    assert set(items.loc[numbers < 6, "QSEVLINT"]) == {""}
    assert set(qs.loc[qs["QSDRVFL"] == "Y", "QSEVLINT"]) == {""}


def test_skipped_items_and_missing_scales_are_not_done_with_a_reason(exported):
    qs, _ = _both(exported, "qs")
    later = qs[(qs["USUBJID"] == "STEP-01-001") & (qs["VISIT"] == "M3")]
    skipped = later[later["QSTESTCD"].isin(["EOR0101", "EOR0102"])]
    assert skipped["QSSTAT"].tolist() == ["NOT DONE"] * 2 and skipped["QSORRES"].tolist() == ["", ""]
    assert skipped["QSREASND"].tolist() == ["NOT ANSWERED"] * 2 and skipped["QSSTRESN"].isna().all()
    scale = later[later["QSTESTCD"] == "EOR0132"]  # physical functioning, 3 of 5 items answered: scored
    assert scale["QSSTAT"].tolist() == [""] and scale["QSSTRESN"].iloc[0] > 0


def test_qs_scores_keep_full_precision_as_text_and_number(app, exported):
    from pro_app.extensions import db
    from pro_app.questionnaires.models import Score
    stored = db.session.scalar(db.select(Score.value).filter_by(scale="PF2").order_by(Score.id).limit(1))
    qs, _ = _both(exported, "qs")
    pf2 = qs[(qs["USUBJID"] == "STEP-01-001") & (qs["VISIT"] == "BASELINE") & (qs["QSTESTCD"] == "EOR0132")]
    assert float(pf2["QSSTRESC"].iloc[0]) == pf2["QSSTRESN"].iloc[0] == stored
    assert pf2["QSSTRESC"].iloc[0] == repr(stored)


def test_ft_has_the_mmse_items_scores_and_reasons(exported):
    ft, _ = _both(exported, "ft")
    assert set(FT_REQUIRED) <= set(ft.columns)
    assert set(ft["DOMAIN"]) == {"FT"} and set(ft["FTCAT"]) == {"MINI-MENTAL STATE EXAMINATION"}
    second = ft[ft["USUBJID"] == "STEP-01-002"].set_index("FTTESTCD")
    assert second.loc["MMS131", ["FTSTAT", "FTREASND"]].tolist() == ["NOT DONE", "MOTOR"]
    assert second.loc["MMS101", ["FTORRES", "FTSTRESC"]].tolist() == ["INCORRECT", "0"]
    assert second.loc["MMS115", "FTORRES"] == "NO ANSWER"
    assert second.loc["MMS119", "FTORRES"] == "EDNOM"  # backwards spelling: sponsor-defined, outside the total
    assert second.loc["MMS1TOT", "FTSTAT"] == "NOT DONE" and pd.isna(second.loc["MMS1TOT", "FTSTRESN"])
    assert second.loc["MMS1SPL", "FTDRVFL"] == "Y" and set(second["FTGRPID"]) == {"MMSE-BASELINE"}


def test_suppft_carries_the_attention_rule_and_word_list(exported):
    supp, _ = _both(exported, "suppft")
    rows = supp[supp["USUBJID"] == "STEP-01-001"].set_index("QNAM")
    assert rows.loc["ATTRULE", "QVAL"] == "greco" and rows.loc["WORDLIST", "QVAL"] == "demo"
    assert set(supp["RDOMAIN"]) == {"FT"} and set(supp["IDVAR"]) == {"FTGRPID"}
    assert set(supp["IDVARVAL"]) == {"MMSE-BASELINE"}


def test_qsorres_takes_the_response_text_from_the_installed_pack(app, study, runner, tmp_path):
    from pro_app.extensions import db
    from pro_app.questionnaires.packs import ensure_demo_packs
    ensure_demo_packs()
    db.session.commit()
    result = runner.invoke(args=["export", "--format", "sdtm", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    qs = pd.read_csv(tmp_path / "out" / "sdtm" / "qs.csv", dtype=str, keep_default_na=False)
    first = qs[(qs["USUBJID"] == "STEP-01-002") & (qs["VISIT"] == "BASELINE")].set_index("QSTESTCD")
    assert first.loc["EOR0101", ["QSORRES", "QSSTRESC"]].tolist() == ["1 (least)", "1"]  # the demo pack's English
    assert first.loc["EOR0129", ["QSORRES", "QSSTRESC"]].tolist() == ["7 (best)", "7"]
    third = qs[qs["USUBJID"] == "STEP-02-001"].set_index("QSTESTCD")
    assert third.loc["EOR0102", "QSORRES"] == "4 (most)"
