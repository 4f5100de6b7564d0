"""`score` commands: score CSV files with the same core as the app, without a database.

A plain click group, so it runs without an application context; the app registers it with
`app.cli.add_command(score)`.
"""
from collections.abc import Callable
from pathlib import Path

import click

from pro_app.scoring.csv_io import InputProblems, Table, read_table, write_file_atomically
from pro_app.scoring.mmse_attention import ATTENTION_RULES, GRECO
from pro_app.scoring.mmse_csv import score_mmse_table
from pro_app.scoring.qlq_c30_csv import score_qlq_c30_table

_BAD_INPUT = 2
_INPUT = click.argument("input_path", metavar="INPUT.csv", type=click.Path(dir_okay=False, path_type=Path))
_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result here instead of standard output.",
)


@click.group()
def score() -> None:
    """Score questionnaires from CSV files (one row per administration)."""


@score.command("qlq-c30")
@_INPUT
@_OUTPUT
def qlq_c30_command(input_path: Path, output: Path | None) -> None:
    """Add the 15 QLQ-C30 v3.0 scale scores and the summary score.

    Columns q1..q30 (any letter case) hold the answers, empty when missing; other columns
    are copied unchanged (but a text a spreadsheet would run as a formula, such as =1+1, gets a
    leading apostrophe). Scores keep full precision and are empty when missing. Any bad
    value stops the run: every problem is listed and nothing is written.
    """
    _run(input_path, output, score_qlq_c30_table)


@score.command("mmse")
@_INPUT
@_OUTPUT
@click.option("--attention-rule", type=click.Choice(ATTENTION_RULES), default=GRECO, show_default=True,
              help="Which attention task counts towards the total.")
@click.option("--language", type=click.Choice(("fr", "en")), default="fr", show_default=True,
              help="Language of the backwards spelling word (MONDE or WORLD).")
def mmse_command(input_path: Path, output: Path | None, attention_rule: str, language: str) -> None:
    """Add MMSE attention scores, total and prorated total.

    One column per item: 0/1; serial7_1..5 hold the numbers said and spelling the letters
    said ('-': no answer); NA or NA:<reason> when not administrable; empty when missing.
    """
    _run(input_path, output, lambda table: score_mmse_table(table, attention_rule, language))


def _run(input_path: Path, output: Path | None, score_table: Callable[[Table], str]) -> None:
    try:
        text = score_table(read_table(input_path))
    except InputProblems as error:
        _fail(error.problems)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_file_atomically(text, output)
    except OSError as error:
        _fail([f"cannot write {output}: {error.strerror}"])


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    click.echo(f"{len(problems)} problem(s); nothing was written.", err=True)
    raise click.exceptions.Exit(_BAD_INPUT)
