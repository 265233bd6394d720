"""Reading indicator-list files: validate everything, then save all or nothing.

A list file is JSON::

    {
      "format": 1,
      "list": {
        "id": "ilo2009.adult.labour", "version": 1, "rule": "ilo2009",
        "population": "adult", "exploitation": "labour",
        "title": {"az": "...", "en": "...", "ru": "..."},
        "source": "...", "verified": true, "verification_notes": "..."
      },
      "indicators": [
        {"id": "ilo2009.al.d1.deceived-nature-of-job", "dimension": 1, "grade": "S",
         "text": {"az": "...", "en": "...", "ru": "..."},
         "htcds": {"vic_MethodsOfControl": ["FalsePromises"], "vic_TypeOfExploitation": []}}
      ]
    }

:func:`parse_list_file` checks the whole file and raises :class:`CatalogueError`
listing **every** problem (a duplicate id, a missing translation, an unknown
grade...), so a file is fixed in one round. :func:`save_list` writes a parsed
file; it takes the model classes as arguments so the data migration can use
its historical models. Nothing here imports the app's models.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from azad.screening import rules
from azad.screening.choices import CATALOGUE_LANGUAGES, HTCDS_FIELDS, Exploitation, Population

FORMAT_VERSION = 1
SHIPPED_DIR = Path(__file__).resolve().parent / "catalogue"
MAX_FILE_BYTES = 1024 * 1024
_LIST_ID = re.compile(r"^[a-z0-9]+(?:[.\-][a-z0-9]+)+$")
_INDICATOR_ID = re.compile(r"^[a-z0-9]+(?:[.\-][a-z0-9]+)+$")
_LIST_KEYS = frozenset(
    {
        "id",
        "version",
        "rule",
        "population",
        "exploitation",
        "title",
        "source",
        "verified",
        "verification_notes",
    }
)
_INDICATOR_KEYS = frozenset({"id", "dimension", "grade", "text", "htcds"})
_GRADES = tuple(g.value for g in rules.Grade)


class CatalogueError(Exception):
    """A list file that cannot be loaded; ``problems`` says everything that is wrong with it."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ParsedIndicator:
    """One indicator of a valid file."""

    code: str
    dimension: int
    grade: str
    texts: dict[str, str]
    methods_of_control: list[str]
    types_of_exploitation: list[str]


@dataclass(frozen=True)
class ParsedList:
    """A valid list file, ready to save."""

    code: str
    version: int
    rule: str
    population: str
    exploitation: str
    titles: dict[str, str]
    source: str
    verified: bool
    verification_notes: str
    content_hash: str
    indicators: list[ParsedIndicator] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(value: Any, where: str, what: str, problems: list[str]) -> dict[str, str]:
    """A {az, en, ru} mapping of non-empty texts; every missing or empty translation is a problem."""
    if not isinstance(value, dict):
        problems.append(
            _("%(where)s: %(what)s must be an object with az, en and ru texts.")
            % {"where": where, "what": what}
        )
        return {}
    texts: dict[str, str] = {}
    for language in CATALOGUE_LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(
                _("%(where)s: the %(language)s translation of %(what)s is missing.")
                % {"where": where, "language": language, "what": what}
            )
        else:
            texts[language] = " ".join(text.split())
    extra = sorted(set(value) - set(CATALOGUE_LANGUAGES))
    if extra:
        problems.append(
            _("%(where)s: %(what)s has texts in languages Azad does not use: %(languages)s.")
            % {"where": where, "what": what, "languages": ", ".join(map(str, extra))}
        )
    return texts


def _htcds(value: Any, where: str, problems: list[str]) -> tuple[list[str], list[str]]:
    if value is None:
        return [], []
    if not isinstance(value, dict):
        problems.append(_("%(where)s: htcds must be an object.") % {"where": where})
        return [], []
    for name in sorted(set(value) - set(HTCDS_FIELDS)):
        problems.append(
            _("%(where)s: %(name)s is not an HTCDS field this catalogue maps to (use %(fields)s).")
            % {"where": where, "name": name, "fields": ", ".join(sorted(HTCDS_FIELDS))}
        )
    mapped: dict[str, list[str]] = {}
    for name, allowed in HTCDS_FIELDS.items():
        values = value.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(
                _("%(where)s: %(name)s must be a list of values.") % {"where": where, "name": name}
            )
            mapped[name] = []
            continue
        for bad in [v for v in values if v not in allowed]:
            problems.append(
                _("%(where)s: %(value)s is not a value of HTCDS %(name)s.")
                % {"where": where, "value": bad, "name": name}
            )
        mapped[name] = sorted({v for v in values if v in allowed})
    return mapped["vic_MethodsOfControl"], mapped["vic_TypeOfExploitation"]


def _decode(raw: bytes | str | Any) -> Any:
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_FILE_BYTES:
            raise CatalogueError([_("The file is larger than 1 MB.")])
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise CatalogueError([_("The file is not UTF-8 text.")]) from None
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise CatalogueError(
                [
                    _("The file is not valid JSON (line %(line)s, column %(column)s).")
                    % {
                        "line": error.lineno,
                        "column": error.colno,
                    }
                ]
            ) from None
    return raw


def content_hash(data: Any) -> str:
    """The SHA-256 of the file's content, independent of its layout and key order."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_list_file(raw: bytes | str | Any) -> ParsedList:
    """Validate a list file (bytes, text or already-decoded JSON); raise :class:`CatalogueError` with every problem."""
    data = _decode(raw)
    if not isinstance(data, dict):
        raise CatalogueError([_("The file must hold one JSON object with list and indicators.")])
    problems: list[str] = []
    for name in sorted(set(data) - {"format", "list", "indicators"}):
        problems.append(_("Unknown top-level field %(name)s.") % {"name": name})
    if data.get("format") != FORMAT_VERSION:
        problems.append(_("format must be %(version)s.") % {"version": FORMAT_VERSION})

    header = data.get("list")
    if not isinstance(header, dict):
        problems.append(_("list must be an object describing the list."))
        header = {}
    for name in sorted(set(header) - _LIST_KEYS):
        problems.append(_("list: unknown field %(name)s.") % {"name": name})
    code = header.get("id")
    if not isinstance(code, str) or not _LIST_ID.match(code):
        problems.append(_("list: id must be a lower-case dotted identifier such as ilo2009.adult.labour."))
        code = ""
    raw_version = header.get("version")
    version = raw_version if isinstance(raw_version, int) and not isinstance(raw_version, bool) else 0
    if version < 1:
        problems.append(_("list: version must be a whole number from 1."))
    rule = header.get("rule", rules.RULE_ILO_2009)
    if rule not in rules.KNOWN_RULES:
        problems.append(
            _("list: the rule %(rule)s is not known (known: %(known)s).")
            % {"rule": rule, "known": ", ".join(sorted(rules.KNOWN_RULES))}
        )
    population = str(header.get("population"))
    if population not in Population.values:
        problems.append(
            _("list: population must be one of %(values)s.") % {"values": ", ".join(Population.values)}
        )
    exploitation = str(header.get("exploitation"))
    if exploitation not in Exploitation.values:
        problems.append(
            _("list: exploitation must be one of %(values)s.") % {"values": ", ".join(Exploitation.values)}
        )
    titles = _texts(header.get("title"), "list", _("the title"), problems)
    source = header.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(_("list: source must name where the indicators and grades come from."))
        source = ""
    verified = header.get("verified")
    if not isinstance(verified, bool):
        problems.append(_("list: verified must be true or false."))
        verified = False
    notes = header.get("verification_notes", "")
    if not isinstance(notes, str):
        problems.append(_("list: verification_notes must be text."))
        notes = ""
    if not verified and not notes.strip():
        problems.append(_("list: an unverified list must say in verification_notes what is not verified."))

    raw_indicators = data.get("indicators")
    if not isinstance(raw_indicators, list):
        problems.append(_("indicators must be a list."))
        raw_indicators = []
    if verified and not raw_indicators:
        problems.append(_("A verified list needs indicators."))
    indicators: list[ParsedIndicator] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(raw_indicators, start=1):
        where = _("indicator %(number)s") % {"number": number}
        if not isinstance(item, dict):
            problems.append(_("%(where)s: must be an object.") % {"where": where})
            continue
        indicator_id = item.get("id")
        if isinstance(indicator_id, str) and _INDICATOR_ID.match(indicator_id):
            where = _("indicator %(number)s (%(id)s)") % {"number": number, "id": indicator_id}
            if indicator_id in seen:
                problems.append(
                    _("%(where)s: duplicate id, already used by indicator %(first)s.")
                    % {"where": where, "first": seen[indicator_id]}
                )
            else:
                seen[indicator_id] = number
        else:
            problems.append(_("%(where)s: id must be a lower-case dotted identifier.") % {"where": where})
            indicator_id = ""
        for name in sorted(set(item) - _INDICATOR_KEYS):
            problems.append(_("%(where)s: unknown field %(name)s.") % {"where": where, "name": name})
        dimension = item.get("dimension")
        if not _is_int(dimension) or dimension not in rules.DIMENSIONS:
            problems.append(_("%(where)s: dimension must be 1 to 6.") % {"where": where})
            dimension = 0
        grade = item.get("grade")
        if grade not in _GRADES:
            problems.append(
                _("%(where)s: the grade %(grade)s is not one of S, M, W.")
                % {"where": where, "grade": json.dumps(grade, ensure_ascii=False)}
            )
            grade = ""
        texts = _texts(item.get("text"), where, _("the text"), problems)
        methods, types = _htcds(item.get("htcds"), where, problems)
        indicators.append(
            ParsedIndicator(
                code=indicator_id,
                dimension=dimension,
                grade=grade,
                texts=texts,
                methods_of_control=methods,
                types_of_exploitation=types,
            )
        )
    if problems:
        raise CatalogueError(problems)
    return ParsedList(
        code=code,
        version=version,
        rule=rule,
        population=population,
        exploitation=exploitation,
        titles=titles,
        source=" ".join(source.split()),
        verified=verified,
        verification_notes=notes.strip(),
        content_hash=content_hash(data),
        indicators=indicators,
    )


def conflicts(parsed: ParsedList, *, list_model: Any, indicator_model: Any) -> list[str]:
    """Problems between a valid file and what the database holds already.

    A version already loaded with other content is refused (versions never
    change); an indicator id another list uses is refused (ids are stable and
    name one list's indicator).
    """
    problems: list[str] = []
    existing = list_model.objects.filter(code=parsed.code, version=parsed.version).first()
    if existing is not None and existing.content_hash != parsed.content_hash:
        problems.append(
            _(
                "Version %(version)s of %(list)s is already loaded with different content; "
                "a changed list needs a new version number."
            )
            % {"version": parsed.version, "list": parsed.code}
        )
    codes = [indicator.code for indicator in parsed.indicators]
    taken = (
        indicator_model.objects.filter(code__in=codes)
        .exclude(indicator_list__code=parsed.code)
        .values_list("code", "indicator_list__code")
        .distinct()
    )
    for code, other in sorted(taken):
        problems.append(
            _("The indicator id %(id)s already belongs to the list %(other)s.") % {"id": code, "other": other}
        )
    return problems


def save_list(
    parsed: ParsedList, *, list_model: Any, indicator_model: Any, loaded_by: str = ""
) -> tuple[Any, bool]:
    """Write ``parsed`` (all or nothing, in the caller's transaction); returns (list, created).

    The same version with the same content is left as it is (loading is
    idempotent); any conflict raises :class:`CatalogueError`.
    """
    problems = conflicts(parsed, list_model=list_model, indicator_model=indicator_model)
    if problems:
        raise CatalogueError(problems)
    existing = list_model.objects.filter(code=parsed.code, version=parsed.version).first()
    if existing is not None:
        return existing, False
    indicator_list = list_model.objects.create(
        code=parsed.code,
        version=parsed.version,
        rule=parsed.rule,
        population=parsed.population,
        exploitation=parsed.exploitation,
        title_az=parsed.titles["az"],
        title_en=parsed.titles["en"],
        title_ru=parsed.titles["ru"],
        source=parsed.source,
        verified=parsed.verified,
        verification_notes=parsed.verification_notes,
        content_hash=parsed.content_hash,
        loaded_by=loaded_by[:150],
    )
    indicator_model.objects.bulk_create(
        [
            indicator_model(
                indicator_list=indicator_list,
                code=item.code,
                position=position,
                dimension=item.dimension,
                grade=item.grade,
                text_az=item.texts["az"],
                text_en=item.texts["en"],
                text_ru=item.texts["ru"],
                htcds_methods_of_control=item.methods_of_control,
                htcds_types_of_exploitation=item.types_of_exploitation,
            )
            for position, item in enumerate(parsed.indicators)
        ]
    )
    return indicator_list, True


def shipped_files() -> list[Path]:
    """The list files that come with Azad, in name order."""
    return sorted(SHIPPED_DIR.glob("*.json"))
