"""The assignment dialog's data: suggested leads with their score explained, and recusal matches."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecusalMatch:
    """One reason the mediator may have to withdraw; `message` is what the window shows."""

    kind: str  # same_person same_id same_address same_building same_phone relative work_unit former_party
    message: str


@dataclass(frozen=True)
class ScorePart:
    label: str
    points: int


@dataclass(frozen=True)
class Suggestion:
    """A mediator or a pairing to offer for the lead; `explanation` is "同社区 · 擅长邻里 · 在办3件"."""

    kind: str  # "mediator" or "pairing"
    name: str
    mediator_id: int  # for a pairing, the junior (who leads under the senior)
    pairing_id: int | None
    score: int
    parts: tuple[ScorePart, ...]
    open_cases: int
    recusal: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return " · ".join(part.label for part in self.parts)
