"""The result types' hand-written ``__init__`` (faster than a frozen dataclass's) must take what
the dataclass's would: the same parameters, in the same order, with the same defaults, and make
the same objects."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from mtcheck.findings import Applicability, Category, Edit, Finding, Fix, Match, Severity


def _generated(cls):
    """The class as ``@dataclass(frozen=True)`` alone would make it (its own ``__init__``)."""
    return dataclasses.make_dataclass(
        cls.__name__,
        [(f.name, f.type, f) for f in dataclasses.fields(cls)],
        frozen=True,
    )


@pytest.mark.parametrize("cls", [Edit, Fix, Match, Finding])
def test_init_takes_the_fields_in_order_with_their_defaults(cls):
    mine = inspect.signature(cls.__init__).parameters
    generated = inspect.signature(_generated(cls).__init__).parameters
    assert list(mine) == list(generated)
    for name, p in generated.items():
        if name == "self":
            continue
        field = cls.__dataclass_fields__[name]
        if field.default_factory is not dataclasses.MISSING:
            assert repr(mine[name].default) == "<factory>"
        else:
            assert mine[name].default == p.default, name
        assert mine[name].kind == p.kind


def test_objects_are_those_the_dataclass_makes():
    edit = Edit(3, 5, " ")
    fix = Fix((edit,), Applicability.UNSAFE, "insert a space")
    args = ("Q101", "glued-closing-quote", Severity.ERROR, Category.FLUENCY, "msg", 3, 5, '"d', 1, 4, 1, 6)
    for obj, gen in [
        (edit, _generated(Edit)(3, 5, " ")),
        (fix, _generated(Fix)((edit,), Applicability.UNSAFE, "insert a space")),
        (Fix((edit,)), _generated(Fix)((edit,))),
        (Match(3, 5, "msg"), _generated(Match)(3, 5, "msg")),
        (Match(3, 5, "msg", fix, Severity.INFO), _generated(Match)(3, 5, "msg", fix, Severity.INFO)),
        (Finding(*args), _generated(Finding)(*args)),
        (Finding(*args, fix=fix, path="a.txt", extra={"k": 1}), _generated(Finding)(*args, fix=fix, path="a.txt", extra={"k": 1})),
    ]:
        assert vars(obj) == vars(gen)
        assert pickle.loads(pickle.dumps(obj)) == obj
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.start = 0
    a, b = Finding(*args), Finding(*args)
    assert a == b and hash(a) == hash(b) and a.extra is not b.extra  # a fresh dict each
    assert dataclasses.replace(a, start=4).start == 4 and a.with_(code="Q102").code == "Q102"
    assert Finding(*args, extra=None).extra is None  # given explicitly, as the dataclass would keep it
