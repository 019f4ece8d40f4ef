"""Files admins import (pathways, partner services): YAML checked by a pydantic model, the
pieces their models share (codes, translated texts, no code twice), and what loading one did.

A broken file raises the caller's FileError naming the line, the item (by its position from 1
and its name) and the field, with the pydantic error type as the problem (state/file_errors.py
words it); nothing is loaded. Shapes that would make the parser recurse or expand without bound
(huge files, deep nesting, aliases) are refused before parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from cisp_pwa import i18n

from ..errors import FileError

FILE_MAX = 512 * 1024  # characters: the largest shipped file is well under 50 KiB
DEPTH_MAX = 12         # a pathway nests 5 deep, a partner file 4; the parser recurses on depth
# libyaml's parser where PyYAML was built with it (its wheels are): the same YAML, lines and
# tokens, read about ten times faster than the pure-Python one.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooLong:
    """Stands for a number Python refuses to read (more than `sys.get_int_max_str_digits()`
    digits): found after loading, it becomes an error naming its line and field."""


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    def construct_yaml_int(self, node):
        if ":" in str(node.value):  # 13:30 is a time as written (YAML 1.1 would read minutes, base 60)
            return self.construct_scalar(node)
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return _TooLong()


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_LOADER = _Loader


def _check_shape(text: str, source: str, error: type[FileError]) -> None:
    if len(text) > FILE_MAX:
        raise error(file=source, field="", message="file too large", problem="file_too_large",
                    context={"max_kib": str(FILE_MAX // 1024)})
    depth = 0
    for token in yaml.scan(text, Loader=_LOADER):  # iterative: no recursion whatever the depth
        if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
                              yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
            depth += 1
            if depth > DEPTH_MAX:
                raise error(file=source, field="", message="nested too deep",
                            line=token.start_mark.line + 1, problem="too_deep")
        elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
            depth -= 1
        elif isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
            raise error(file=source, field="", message="anchors and aliases are not allowed",
                        line=token.start_mark.line + 1, problem="aliases")


Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class Strict(BaseModel):
    """An item of a file: a key the model does not know is an error, never ignored."""

    model_config = ConfigDict(extra="forbid")


def check_translations(value: dict[str, str]) -> dict[str, str]:
    # Typed errors (not bare ValueErrors): the admin's screen words each kind (state/admin.py).
    missing = [loc for loc in i18n.LOCALES if not (value.get(loc) or "").strip()]
    if missing:
        raise PydanticCustomError("translation_missing", "missing translation for {langs}",
                                  {"langs": ", ".join(missing)})
    unknown = sorted(set(value) - set(i18n.LOCALES))
    if unknown:
        raise PydanticCustomError("language_unknown", "unknown language {langs}",
                                  {"langs": ", ".join(unknown), "known": ", ".join(i18n.LOCALES)})
    return {loc: text.strip() for loc, text in value.items()}


def no_duplicates(codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise PydanticCustomError("code_twice", "code {code!r} is used twice", {"code": code})
        seen.add(code)


@dataclass(frozen=True)
class LoadReport:
    """What loading files did: how many items were created, updated, left as they were."""


    created: int
    updated: int
    unchanged: int


T = TypeVar("T", bound=BaseModel)


def parse(text: str, source: str, model: type[T], error: type[FileError], nested: tuple[str, ...]) -> T:
    """`nested`: the kinds of items the file lists, outermost first (("area", "skill") for
    `areas: [{skills: [...]}]`): an error says which of them it is in."""
    try:
        _check_shape(text, source, error)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise error(file=source, field="", message=f"not valid YAML{where}",
                    line=mark.line + 1 if mark else None, problem="yaml_invalid") from exc
    if not isinstance(data, dict):
        raise error(file=source, field="", message="expected a mapping at the top", problem="top_not_mapping")
    if (location := _too_long(data)) is not None:
        raise error(file=source, field=field_path(location), message="number too long",
                    line=_line_of(text, location), problem="number_too_long", **_where(data, location, nested))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _located(text, source, data, tuple(first["loc"]), error, first["type"], first["msg"], nested,
                       {k: str(v) for k, v in (first.get("ctx") or {}).items()}) from exc


def _located(text: str, source: str, data: object, location: tuple, error: type[FileError], problem: str,
             message: str, nested: tuple[str, ...], context: dict) -> FileError:
    return error(file=source, field=field_path(location), message=message, line=_line_of(text, location),
                 problem=problem, context=context,
                 **(_where(data, location, nested) if isinstance(data, dict) else {"within": field_path(location)}))


def error_at(text: str, source: str, location: tuple, error: type[FileError], problem: str, nested: tuple[str, ...],
             context: dict | None = None) -> FileError:
    """The error for a file `parse` accepted that its service then refused (a code the database
    does not know): it names the line, the items and the field as `parse`'s own errors do."""
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader; parse checked the file's shape
    return _located(text, source, data, location, error, problem, problem, nested,
                    {k: str(v) for k, v in (context or {}).items()})


def _too_long(data: object) -> tuple | None:
    """Where the first number too long to read is (a key's: where its mapping is), or None."""
    stack: list[tuple[object, tuple]] = [(data, ())]  # depth first, in the file's order
    while stack:
        node, location = stack.pop()
        if isinstance(node, _TooLong):
            return location
        if isinstance(node, dict):
            if any(isinstance(key, _TooLong) for key in node):
                return location
            stack.extend(reversed([(value, (*location, key)) for key, value in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(value, (*location, i)) for i, value in enumerate(node)]))
    return None


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def dump(data: dict) -> str:
    """A file the import reads back: every text written out (the import refuses aliases)."""
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100)


def field_path(location: tuple) -> str:
    """('areas', 0, 'skills', 2, 'label') -> 'areas[0].skills[2].label'."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _where(data: dict, location: tuple, nested: tuple[str, ...]) -> dict:
    """Which items the error is in, by position from 1 and by name (their labels, one per
    language, else their name or code), and the field within: what a person editing the file
    needs."""
    where: dict = {}
    node: object = data
    rest = list(location)
    for kind in nested:
        if len(rest) >= 2 and rest[0] == kind + "s" and isinstance(rest[1], int):
            items = node.get(kind + "s") if isinstance(node, dict) else None
            node = items[rest[1]] if isinstance(items, list) and rest[1] < len(items) else {}
            where[kind] = rest[1] + 1
            where[kind + "_names"] = _names(node)
            rest = rest[2:]
    where["within"] = ".".join(str(part) for part in rest)
    return where


def _names(node: object) -> dict[str, str]:
    if not isinstance(node, dict):
        return {}
    label = node.get("label")
    if isinstance(label, dict):
        return {str(k): str(v)[:80] for k, v in label.items() if isinstance(v, str) and v.strip()}
    for key in ("name", "code"):
        if isinstance(node.get(key), str):
            return {"": node[key][:80]}
    return {}


def _line_of(text: str, location: tuple) -> int | None:
    """The line (1-based) of the deepest YAML node on the error's path, for a clear message."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
