"""The one cattrs converter: wire JSON <-> attrs models.

``converter`` is tolerant (unknown fields are ignored: the API adds fields over time) and fast:
for plain model classes it uses structuring functions specialised per class (type checks inlined,
slots set directly), generated once on first use. When that fast path meets anything it does not
expect, ``structure`` reruns the input through ``detailed_converter`` (stock cattrs with detailed
validation), which either copes or raises a ``cattrs`` validation error naming every bad field.
``strict_converter`` also forbids unknown fields; it is meant for tests that check our models
cover the wire format. All three are built by the same ``configure`` function.
"""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

T = TypeVar("T")

_MISSING = object()


def _structure_datetime(value: Any, _: type) -> datetime:
    if type(value) is not str:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    return datetime.fromisoformat(value)


def _exact(tp: type) -> Any:
    """A hook that accepts only ``tp`` itself: cattrs would otherwise coerce (``str(5)``, ``bool("no")``)."""

    def hook(value: Any, _: type) -> Any:
        if type(value) is not tp:
            raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return hook


def _unstructure_datetime(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def configure(
    conv: cattrs.Converter, *, forbid_extra_keys: bool = False, fast: bool = False
) -> cattrs.Converter:
    # Primitive hooks first: the attrs hook factories below capture them when they build a class.
    conv.register_structure_hook(datetime, _structure_datetime)
    for exact in (str, bool, int):
        conv.register_structure_hook(exact, _exact(exact))
    conv.register_unstructure_hook(datetime, _unstructure_datetime)

    def attrs_factory(cls: type[Any]) -> Any:
        if fast and not forbid_extra_keys:
            fn = _fast_structure_fn(cls, conv)
            if fn is not None:
                return fn
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys)

    conv.register_structure_hook_factory(attrs.has, attrs_factory)
    return conv


# ---------------------------------------------------------------------------- the fast path


def _is_optional(tp: Any) -> Any | None:
    """``X`` for ``X | None``, else None."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0]
    return None


class _Gen:
    """Builds the source of one structuring function."""

    def __init__(self, conv: cattrs.Converter) -> None:
        self.conv = conv
        self.globals: dict[str, Any] = {"_dt": datetime.fromisoformat, "_MISSING": _MISSING}
        self.lines: list[str] = []
        self._n = 0

    def name(self, value: Any) -> str:
        self._n += 1
        key = f"_g{self._n}"
        self.globals[key] = value
        return key

    def check(self, var: str, tp: Any, indent: str) -> bool:
        """Emit lines turning ``var`` into ``tp`` in place; False if ``tp`` is not supported."""
        add = self.lines.append
        inner = _is_optional(tp)
        if inner is not None:
            add(f"{indent}if {var} is not None:")
            return self.check(var, inner, indent + "  ")
        if tp in (str, bool, int):
            add(f"{indent}if type({var}) is not {tp.__name__}: raise TypeError({var!r})")
            return True
        if tp is float:
            add(f"{indent}if type({var}) is not float:")
            add(f"{indent}  if type({var}) is not int: raise TypeError({var!r})")
            add(f"{indent}  {var} = float({var})")
            return True
        if tp is datetime:
            add(f"{indent}if type({var}) is not str: raise TypeError({var!r})")
            add(f"{indent}{var} = _dt({var})")
            return True
        if tp is typing.Any:
            return True
        origin, args = get_origin(tp), get_args(tp)
        if origin is Literal:
            add(f"{indent}if {var} not in {self.name(frozenset(args))}: raise ValueError({var!r})")
            return True
        if origin is dict and args[:1] == (str,) and args[1] in (str, typing.Any):
            add(f"{indent}if type({var}) is not dict: raise TypeError({var!r})")
            if args[1] is str:
                add(f"{indent}for _v in {var}.values():")
                add(f"{indent}  if type(_v) is not str: raise TypeError('value')")
            add(f"{indent}{var} = dict({var})")
            return True
        if origin is list and len(args) == 1:
            item = args[0]
            add(f"{indent}if type({var}) is not list: raise TypeError({var!r})")
            if item is str:
                add(f"{indent}for _v in {var}:")
                add(f"{indent}  if type(_v) is not str: raise TypeError('item')")
                add(f"{indent}{var} = list({var})")
                return True
            if attrs.has(item) and not get_args(item):
                hook = self.name(self.conv.get_structure_hook(item))
                add(f"{indent}{var} = [{hook}(_v, None) for _v in {var}]")
                return True
            return False
        if isinstance(tp, type) and attrs.has(tp) and not getattr(tp, "__parameters__", ()):
            hook = self.name(self.conv.get_structure_hook(tp))
            add(f"{indent}{var} = {hook}({var}, None)")
            return True
        return False


def _fast_structure_fn(cls: type[Any], conv: cattrs.Converter) -> Any | None:
    """A specialised structuring function for a plain attrs class, or None to use cattrs'."""
    if getattr(cls, "__parameters__", ()) or get_args(cls) or "__slots__" not in cls.__dict__:
        return None
    hints = typing.get_type_hints(cls)
    gen = _Gen(conv)
    add = gen.lines.append
    add("  if type(o) is not dict: raise TypeError('expected an object')")
    add(f"  self = {gen.name(object.__new__)}({gen.name(cls)})")
    for i, field in enumerate(attrs.fields(cls)):
        var = f"v{i}"
        tp = hints[field.name]
        indent = "  "
        if field.default is attrs.NOTHING:
            add(f"  {var} = o[{field.name!r}]")
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            if field.default.takes_self:
                return None
            add(f"  {var} = o.get({field.name!r}, _MISSING)")
            add(f"  if {var} is _MISSING:")
            add(f"    {var} = {gen.name(field.default.factory)}()")
            add("  else:")
            indent = "    "
        else:  # an immutable default goes through the same checks as a sent value
            add(f"  {var} = o.get({field.name!r}, {gen.name(field.default)})")
        before = len(gen.lines)
        if not gen.check(var, tp, indent):
            return None
        if len(gen.lines) == before and indent == "    ":
            add(f"{indent}pass")
        add(f"  {gen.name(cls.__dict__[field.name].__set__)}(self, {var})")
    add("  return self")
    source = "def structure(o, _=None):\n" + "\n".join(gen.lines)
    namespace = dict(gen.globals)
    exec(compile(source, f"<structure {cls.__qualname__}>", "exec"), namespace)
    return namespace["structure"]


# ---------------------------------------------------------------------------- the converters

converter = configure(cattrs.Converter(), fast=True)
detailed_converter = configure(cattrs.Converter())
strict_converter = configure(cattrs.Converter(forbid_extra_keys=True), forbid_extra_keys=True)


def structure(data: Any, cls: type[T]) -> T:
    """Wire data -> ``cls``. Raises a ``cattrs`` validation error (or TypeError) when it can't."""
    try:
        return converter.structure(data, cls)
    except Exception:  # the fast path only says "no": let the detailed converter explain
        return detailed_converter.structure(data, cls)


def structure_lenient(data: Any, cls: type[T]) -> T | None:
    """Structure ``data`` or return ``None`` if it is absent or malformed (for optional extras)."""
    if data is None:
        return None
    try:
        return structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError):
        return None


def structure_list_lenient(data: Any, cls: type[T]) -> list[T]:
    if not isinstance(data, list):
        return []
    items = (structure_lenient(item, cls) for item in data)
    return [item for item in items if item is not None]
