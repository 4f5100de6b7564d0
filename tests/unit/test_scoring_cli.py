import pytest
from click.testing import CliRunner

from pro_app.scoring.cli import score

ITEMS = ",".join(f"q{n}" for n in range(1, 31))
VECTOR = "2,1,3,4,2,1,3,3,4,2,2,1,1,2,3,4,3,2,3,1,2,2,3,1,1,2,1,1,3,5"
SCORES = "QL2,PF2,RF2,EF,CF,SF,FA,NV,PA,DY,SL,AP,CO,DI,FI,SUMMARY"
VECTOR_SCORES = (
    "50.0,53.33333333333334,66.66666666666667,66.66666666666667,100.0,83.33333333333334,"
    "22.222222222222225,50.0,83.33333333333334,66.66666666666666,33.33333333333333,0.0,100.0,"
    "66.66666666666666,0.0,57.52136752136752"
)
MMSE_ITEMS = (
    [f"orient_time_{n}" for n in range(1, 6)] + [f"orient_place_{n}" for n in range(1, 6)]
    + [f"registration_{n}" for n in range(1, 4)] + [f"serial7_{n}" for n in range(1, 6)] + ["spelling"]
    + [f"recall_{n}" for n in range(1, 4)] + ["naming_1", "naming_2", "repetition"]
    + [f"command_{n}" for n in range(1, 4)] + ["reading", "writing", "copying"]
)
MMSE_OUTPUT = "serial7_score,spelling_score,attention_score,total,items_not_administrable,total_prorated,items_missing"


def run(*args):
    return CliRunner().invoke(score, [str(arg) for arg in args])


def write(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mmse_row(**cells):
    values = {code: "1" for code in MMSE_ITEMS}
    values.update(zip([f"serial7_{n}" for n in range(1, 6)], ["93", "86", "79", "72", "65"]))
    values["spelling"] = "EDNOM"
    values.update(cells)
    return ",".join(values[code] for code in MMSE_ITEMS)


def assert_failed_without_output(result, output_path, *messages):
    assert result.exit_code == 2
    assert result.stdout == ""
    for message in messages:
        assert message in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert not output_path.exists()


def test_qlq_c30_scores_to_stdout_with_passthrough_columns(tmp_path):
    path = write(tmp_path, f"patient,{ITEMS},site\nP1,{VECTOR},Lyon\nP2,{',' * 29},Nice\n")
    result = run("qlq-c30", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"patient,{ITEMS},site,{SCORES}\n"
        f"P1,{VECTOR},Lyon,{VECTOR_SCORES}\n"
        f"P2,{',' * 29},Nice,{',' * 15}\n"
    )


def test_qlq_c30_missing_answers_and_upper_case_columns(tmp_path):
    answers = VECTOR.split(",")
    answers[0] = answers[1] = ""
    path = write(tmp_path, ITEMS.upper() + "\n" + ",".join(answers) + "\n")
    result = run("qlq-c30", path)
    header, row = result.stdout.splitlines()
    scores = dict(zip(SCORES.split(","), row.split(",")[30:]))
    assert round(float(scores["PF2"]), 4) == 33.3333
    assert round(float(scores["SUMMARY"]), 4) == 55.9829


def test_qlq_c30_writes_the_output_file(tmp_path):
    path = write(tmp_path, f"{ITEMS}\n{VECTOR}\n")
    output = tmp_path / "out.csv"
    result = run("qlq-c30", path, "-o", output)
    assert result.exit_code == 0 and result.stdout == ""
    assert output.read_text(encoding="utf-8") == f"{ITEMS},{SCORES}\n{VECTOR},{VECTOR_SCORES}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary file left


def test_qlq_c30_semicolon_file_keeps_its_separator(tmp_path):
    path = write(tmp_path, "\ufeff" + f"id;{ITEMS.replace(',', ';')}\nA;{VECTOR.replace(',', ';')}\n")
    result = run("qlq-c30", path)
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeffid;q1;")
    assert result.stdout.splitlines()[1].endswith(";57.52136752136752")


@pytest.mark.parametrize(("row", "messages"), [
    (VECTOR.replace("3,5", "3,9"), ["data row 2 (file line 3), column 'q30': '9' is outside the range of item 30, 1..7"]),
    ("0," + VECTOR[2:], ["data row 2 (file line 3), column 'q1': '0' is outside the range of item 1, 1..4"]),
    ("x," + VECTOR[2:], ["data row 2 (file line 3), column 'q1': 'x' is not a number"]),
    ("2.5," + VECTOR[2:], ["data row 2 (file line 3), column 'q1': '2.5' is not a whole number"]),
    ("5,5," + VECTOR[4:], ["column 'q1': '5' is outside", "column 'q2': '5' is outside"]),
])
def test_qlq_c30_bad_values_name_row_and_column(tmp_path, row, messages):
    path = write(tmp_path, f"{ITEMS}\n{VECTOR}\n{row}\n")
    output = tmp_path / "out.csv"
    assert_failed_without_output(run("qlq-c30", path, "-o", output), output, *messages)


def test_qlq_c30_reports_every_offending_row(tmp_path):
    bad = "7," + VECTOR[2:]
    path = write(tmp_path, f"{ITEMS}\n{bad}\n{VECTOR}\n{bad}\n")
    result = run("qlq-c30", path)
    assert result.exit_code == 2
    assert "data row 1 (file line 2), column 'q1'" in result.stderr
    assert "data row 3 (file line 4), column 'q1'" in result.stderr
    assert "2 problem(s); nothing was written." in result.stderr


def test_existing_output_file_is_left_untouched_on_error(tmp_path):
    path = write(tmp_path, f"{ITEMS}\n9{VECTOR[1:]}\n")
    output = write(tmp_path, "previous results\n", "out.csv")
    result = run("qlq-c30", path, "-o", output)
    assert result.exit_code == 2
    assert output.read_text(encoding="utf-8") == "previous results\n"


@pytest.mark.parametrize(("header", "row", "message"), [
    (ITEMS.replace(",q17", ""), VECTOR[:-2], "header: column 'q17' is missing"),
    (ITEMS + ",Q1", VECTOR + ",2", "header: column 'Q1' appears more than once (columns 1 and 31)"),
    (ITEMS + ",summary", VECTOR + ",x", "header: column 'summary' clashes with an output column"),
    (ITEMS, VECTOR + ",4", "data row 1 (file line 2): 31 cells, but the header has 30"),
])
def test_qlq_c30_bad_headers_and_rows(tmp_path, header, row, message):
    path = write(tmp_path, f"{header}\n{row}\n")
    output = tmp_path / "out.csv"
    assert_failed_without_output(run("qlq-c30", path, "-o", output), output, message)


def test_non_utf8_empty_and_absent_files(tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"nom,{ITEMS}\nHélène,{VECTOR}\n".encode("latin-1"))
    output = tmp_path / "out.csv"
    assert_failed_without_output(run("qlq-c30", latin1, "-o", output), output, "is not UTF-8 text (byte 0xe9")
    empty = write(tmp_path, "\n\n", "empty.csv")
    assert_failed_without_output(run("qlq-c30", empty, "-o", output), output, "is empty: expected a header row")
    absent = tmp_path / "absent.csv"
    assert_failed_without_output(run("qlq-c30", absent, "-o", output), output, "cannot read", "No such file")


def test_header_only_file_gives_header_only_output(tmp_path):
    result = run("qlq-c30", write(tmp_path, f"{ITEMS}\n"))
    assert (result.exit_code, result.stdout) == (0, f"{ITEMS},{SCORES}\n")


def test_mmse_scores_with_not_administrable_and_missing(tmp_path):
    rows = [
        mmse_row(),
        mmse_row(writing="NA:motor", copying="NA"),
        mmse_row(recall_2="", spelling="NA"),
        mmse_row(serial7_2="85", serial7_3="78", serial7_4="71", serial7_5="64", spelling="ednmo"),
    ]
    path = write(tmp_path, "visit," + ",".join(MMSE_ITEMS) + "\n" + "".join(f"V{i},{r}\n" for i, r in enumerate(rows)))
    result = run("mmse", path, "--attention-rule", "greco", "--language", "fr")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "visit," + ",".join(MMSE_ITEMS) + "," + MMSE_OUTPUT
    outputs = [line.split(",")[-7:] for line in lines[1:]]
    assert outputs == [
        ["5", "5", "5", "30", "", "30.0", ""],
        ["5", "5", "5", "", "writing:motor;copying", "30.0", ""],
        ["5", "", "5", "", "", "30.0", "recall_2"],
        ["4", "4", "4", "29", "", "29.0", ""],
    ]


def test_mmse_attention_rule_and_language_options(tmp_path):
    row = mmse_row(serial7_2="80", serial7_3="70", serial7_4="60", serial7_5="50", spelling="DLROW")
    path = write(tmp_path, ",".join(MMSE_ITEMS) + "\n" + row + "\n")
    spelling = run("mmse", path, "--attention-rule", "spelling", "--language", "en").stdout.splitlines()[1]
    assert spelling.split(",")[-7:-3] == ["1", "5", "5", "30"]
    serial7 = run("mmse", path, "--attention-rule", "serial7", "--language", "en").stdout.splitlines()[1]
    assert serial7.split(",")[-7:-3] == ["1", "5", "1", "26"]


def test_mmse_bad_cells_name_row_and_column(tmp_path):
    rows = [mmse_row(orient_time_1="2"), mmse_row(serial7_1="ninety"), mmse_row(copying="NA:tired"),
            mmse_row(serial7_1="NA")]
    path = write(tmp_path, ",".join(MMSE_ITEMS) + "\n" + "\n".join(rows) + "\n")
    output = tmp_path / "out.csv"
    assert_failed_without_output(
        run("mmse", path, "-o", output), output,
        "data row 1 (file line 2), column 'orient_time_1': '2' is not 0, 1, NA (not administrable) or empty",
        "data row 2 (file line 3), column 'serial7_1': 'ninety' is not the number said",
        "data row 3 (file line 4), column 'copying': 'NA:tired': unknown not-administrable reason",
        "data row 4 (file line 5): serial 7s: serial7_1 not administrable but not the other answers",
    )


def test_mmse_registration_trials_column_is_checked_and_passed_through(tmp_path):
    header = ",".join(MMSE_ITEMS) + ",registration_trials"
    good = run("mmse", write(tmp_path, f"{header}\n{mmse_row()},2\n"))
    assert good.stdout.splitlines()[1].startswith(mmse_row() + ",2,5,5,5,30,")
    output = tmp_path / "out.csv"
    bad = run("mmse", write(tmp_path, f"{header}\n{mmse_row()},7\n", "bad.csv"), "-o", output)
    assert_failed_without_output(bad, output, "column 'registration_trials': '7' is not a number of trials in 1..6")


def test_mmse_missing_column(tmp_path):
    header = ",".join(code for code in MMSE_ITEMS if code != "reading")
    path = write(tmp_path, header + "\n")
    output = tmp_path / "out.csv"
    assert_failed_without_output(run("mmse", path, "-o", output), output, "header: column 'reading' is missing")


def test_help_describes_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "qlq-c30" in result.stdout and "mmse" in result.stdout
