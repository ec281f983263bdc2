"""Generated constructors: the same objects as attrs' own ``__init__``, or attrs' own."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from stepgate.model import events as ev
from stepgate.model import slots as _slots
from stepgate.model.state import Anchoring, Insight, Representative, Session

ON = dt.date(2024, 2, 5)
AT = dt.datetime(2024, 2, 5, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cls", "args"),
    [
        (ev.TopicRated, (ON, "T1", 3, "sogn-ko")),
        (ev.OptedOut, (ON, "4641")),
        (
            ev.Recorded,
            (7, "sogn-ko", dt.datetime(2024, 2, 5, 9, tzinfo=dt.UTC), ev.Stopped(ON, "for få")),
        ),
        (Session, ("S1", 1, "Økt", ("R1",), ON)),
        (Insight, ("I1", "S1", 1, "Kostnader", ("T1",), ("R1",), ON)),
        (Anchoring, ("step 1", "4640", "formannskap", "endorsed", ON)),
        (Representative, ("R1", "Kari", "employer", "4640")),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_fast_init_makes_a_frozen_value_with_the_given_fields(
    cls: type, args: tuple[object, ...]
) -> None:
    """A class given a fast ``__init__`` holds its arguments and defaults, equal and frozen."""
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    made = cls(*args)
    fields = attrs.fields(cls)
    for field, value in zip(fields, args, strict=False):
        assert getattr(made, field.name) == value
    for field in fields[len(args) :]:
        assert getattr(made, field.name) == field.default
    assert made == cls(*args)
    assert hash(made) == hash(cls(*args))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(made, fields[0].name, None)
    with pytest.raises(TypeError):
        cls()


def test_a_class_that_checks_or_computes_keeps_its_own_init() -> None:
    """Validators, converters, hooks and factory defaults keep attrs' ``__init__``."""

    @attrs.frozen
    class Checked:
        score: int = attrs.field(validator=attrs.validators.ge(0))

    @attrs.frozen
    class Listed:
        items: tuple[str, ...] = attrs.field(factory=tuple)

    @attrs.frozen
    class Hooked:
        name: str

        def __attrs_post_init__(self) -> None:
            if not self.name:
                raise ValueError("name")

    for cls in (Checked, Listed, Hooked):
        own = cls.__init__
        assert _slots.fast_init(cls) is cls
        assert cls.__init__ is own
    with pytest.raises(ValueError, match="score"):
        Checked(-1)
    with pytest.raises(ValueError, match="name"):
        Hooked("")
