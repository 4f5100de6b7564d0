"""What a variable is, for every export format: names, labels, type and allowed values."""
from __future__ import annotations

from dataclasses import dataclass, replace

KINDS = ("string", "integer", "number", "date", "datetime")
# SAS XPORT v5 limits; every other format allows more.
SHORT_NAME_LIMIT = 8
LABEL_LIMIT = 40


@dataclass(frozen=True)
class Value:
    """An allowed value and its label (a lazy string, rendered in English or French)."""

    code: str | int
    label: object


@dataclass(frozen=True)
class Variable:
    """name: CSV, Parquet, Stata and SPSS; short: SAS XPORT (8 characters, upper case).

    A string variable with allowed values is "coded": Stata and SPSS store its position
    (1, 2, ...) with the labels as value labels; the text formats store the code itself.
    """

    name: str
    short: str
    label: object
    kind: str
    values: tuple[Value, ...] = ()
    algorithm: str = ""
    note: object = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")

    @property
    def coded(self) -> bool:
        return self.kind == "string" and bool(self.values)

    @property
    def stat_codes(self) -> dict[str, int]:
        """Code -> integer stored by Stata and SPSS for a coded string variable."""
        return {value.code: position for position, value in enumerate(self.values, start=1)}

    @property
    def value_labels(self) -> dict[int, str]:
        """Integer -> English label, as written to Stata and SPSS files."""
        if self.coded:
            return {position: str(value.label) for position, value in enumerate(self.values, start=1)}
        return {int(value.code): str(value.label) for value in self.values}

    def with_values(self, values: tuple[Value, ...]) -> "Variable":
        return replace(self, values=values)


def var(name: str, short: str, label, kind: str = "string", values=(), algorithm: str = "", note="") -> Variable:
    return Variable(name, short, label, kind, tuple(values), algorithm, note)
