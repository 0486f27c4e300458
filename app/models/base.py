"""What every model module shares: the time columns are stored in, and stored values with labels."""

import enum
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class LabelledEnum(str, enum.Enum):
    """A stored value with a translated label, listed in a fixed order."""

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]

    @classmethod
    def sql_list(cls) -> str:
        return ", ".join(f"'{member.value}'" for member in cls)
