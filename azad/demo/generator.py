"""The synthetic data generator: the national structure, fictional NGOs and persons at any size.

Everything is deterministic. Person number *i* of seed *s* is always the same
person (its own random stream and a primary key derived from ``(s, i)``), so
the same run twice adds nothing the second time, and a bigger run extends a
smaller one. Distributions follow the domain brief: about 94 % of identified
victims are women trafficked for sexual exploitation, men mostly for forced
labour; ages mostly 18-38, some children, a few of unknown age; citizens of
Azerbaijan mostly, with foreigners from the region. The exploitation type and
country are part of each record for the victim-context data that later apps
generate; the person table itself holds identity only.

Persons are written with ``bulk_create`` in batches: the encrypted fields seal
themselves in ``pre_save`` (which bulk inserts run) and the search hashes are
computed in Python. One audit event per batch (``demo.generate``, counts only).
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation
from azad.audit.services import record_event
from azad.demo import names
from azad.persons.choices import DocumentType, Gender
from azad.persons.models import Person, person_name_hash

# Ages are counted at this date, so a seed gives the same people on any day.
REFERENCE_DATE = datetime.date(2025, 1, 1)
DEFAULT_BATCH_SIZE = 1000
GENERATOR_ACTOR = "azad demo generator"


# --- Organisations -------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    """An organisation to create: its key in this module, names and kind."""

    key: str
    name: str
    name_en: str
    name_ru: str
    org_type: str
    short_name: str = ""
    region: str = "Bakı"
    phone: str = ""


# The real national structure (National Action Plan 2009-2013 and the partners in the seeds).
NATIONAL_ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "coordinator",
        "İnsan alverinə qarşı mübarizə üzrə Milli Koordinator",
        "National Coordinator for Combating Trafficking in Human Beings",
        "Национальный координатор по борьбе с торговлей людьми",
        OrgType.COORDINATOR,
        "Milli Koordinator",
    ),
    OrgSpec(
        "mia",
        "Daxili İşlər Nazirliyi",
        "Ministry of Internal Affairs",
        "Министерство внутренних дел",
        OrgType.MINISTRY,
        "DİN",
    ),
    OrgSpec(
        "atd",
        "DİN İnsan Alverinə qarşı Mübarizə Baş İdarəsi",
        "Main Department for Combating Trafficking in Human Beings (Ministry of Internal Affairs)",
        "Главное управление по борьбе с торговлей людьми МВД",
        OrgType.POLICE_ATD,
        "İAMBİ",
    ),
    OrgSpec(
        "hotline",
        "«152» Qaynar xətt",
        "Hotline 152",
        "Горячая линия «152»",
        OrgType.HOTLINE,
        "152",
        phone="152",
    ),
    OrgSpec(
        "atd_shelter",
        "İnsan Alverinə qarşı Mübarizə Baş İdarəsinin Sığınacağı",
        "Shelter of the Anti-Trafficking Main Department",
        "Приют Главного управления по борьбе с торговлей людьми",
        OrgType.SHELTER,
        "İAMBİ sığınacağı",
    ),
    OrgSpec(
        "labour_ministry",
        "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi",
        "Ministry of Labour and Social Protection of the Population",
        "Министерство труда и социальной защиты населения",
        OrgType.MINISTRY,
        "ƏƏSMN",
    ),
    OrgSpec(
        "assistance_centre",
        "Sosial Xidmətlər Agentliyinin İnsan Alveri Qurbanlarına Yardım Mərkəzi",
        "Assistance Centre for Victims of Trafficking (Social Services Agency)",
        "Центр помощи жертвам торговли людьми Агентства социальных услуг",
        OrgType.ASSISTANCE_CENTRE,
        "Yardım Mərkəzi",
    ),
    OrgSpec(
        "labour_inspectorate",
        "Dövlət Əmək Müfəttişliyi Xidməti",
        "State Labour Inspection Service",
        "Государственная служба инспекции труда",
        OrgType.LABOUR_INSPECTORATE,
        "DƏMX",
    ),
    OrgSpec(
        "family_committee",
        "Ailə, Qadın və Uşaq Problemləri üzrə Dövlət Komitəsi",
        "State Committee for Family, Women and Children Affairs",
        "Государственный комитет по проблемам семьи, женщин и детей",
        OrgType.CHILD_PROTECTION,
        "AQUPDK",
    ),
    OrgSpec(
        "minors_commission",
        "Yetkinlik yaşına çatmayanların işləri və hüquqlarının müdafiəsi üzrə Komissiya",
        "Commission on Minors' Affairs and the Protection of their Rights",
        "Комиссия по делам несовершеннолетних и защите их прав",
        OrgType.CHILD_PROTECTION,
    ),
    OrgSpec(
        "migration",
        "Dövlət Miqrasiya Xidməti",
        "State Migration Service",
        "Государственная миграционная служба",
        OrgType.IMMIGRATION_SERVICE,
        "DMX",
    ),
    OrgSpec(
        "border",
        "Dövlət Sərhəd Xidməti",
        "State Border Service",
        "Государственная пограничная служба",
        OrgType.IMMIGRATION_SERVICE,
        "DSX",
    ),
    OrgSpec(
        "mfa",
        "Xarici İşlər Nazirliyi",
        "Ministry of Foreign Affairs",
        "Министерство иностранных дел",
        OrgType.MINISTRY,
        "XİN",
    ),
    OrgSpec(
        "education",
        "Elm və Təhsil Nazirliyi",
        "Ministry of Science and Education",
        "Министерство науки и образования",
        OrgType.MINISTRY,
    ),
    OrgSpec(
        "health", "Səhiyyə Nazirliyi", "Ministry of Health", "Министерство здравоохранения", OrgType.MINISTRY
    ),
    OrgSpec("justice", "Ədliyyə Nazirliyi", "Ministry of Justice", "Министерство юстиции", OrgType.MINISTRY),
    OrgSpec(
        "prosecutor",
        "Azərbaycan Respublikasının Baş Prokurorluğu",
        "Prosecutor General's Office of the Republic of Azerbaijan",
        "Генеральная прокуратура Азербайджанской Республики",
        OrgType.PROSECUTOR,
        "Baş Prokurorluq",
    ),
    OrgSpec(
        "court",
        "Bakı Ağır Cinayətlər Məhkəməsi",
        "Baku Serious Crimes Court",
        "Бакинский суд по тяжким преступлениям",
        OrgType.COURT,
    ),
    OrgSpec(
        "ombudsman",
        "Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman) Aparatı",
        "Office of the Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan",
        "Аппарат Уполномоченного по правам человека (Омбудсмана) Азербайджанской Республики",
        OrgType.OMBUDSMAN,
        "Ombudsman",
    ),
    OrgSpec(
        "iom",
        "Beynəlxalq Miqrasiya Təşkilatının Azərbaycandakı Nümayəndəliyi",
        "International Organization for Migration (IOM), Mission in Azerbaijan",
        "Представительство Международной организации по миграции в Азербайджане",
        OrgType.INTERNATIONAL_ORGANISATION,
        "BMqT",
    ),
)

# Beds of the shelters in the national structure (for the shelters app).
SHELTER_BEDS = {"atd_shelter": 50}

# Fictional NGOs: invented names, checked against none of the real ones (avoid
# e.g. "Təmiz Dünya"); each is a stem, a kind and the region it works in.
_NGO_STEMS = (
    ("Qaranquş Yuvası", "Swallow's Nest"),
    ("Bənövşə Vadisi", "Violet Valley"),
    ("Səhər Ulduzu", "Morning Star"),
    ("Çinar Kölgəsi", "Plane Tree Shade"),
    ("Göyərçin Qanadı", "Dove's Wing"),
    ("Yaşıl Budaq", "Green Branch"),
    ("Dan Yeri", "Daybreak"),
    ("Sahil Mayakı", "Shore Lighthouse"),
    ("Kəhrəba Körpü", "Amber Bridge"),
    ("Ağ Yelkən", "White Sail"),
    ("Günəbaxan Bağı", "Sunflower Garden"),
    ("Narınc Çıraq", "Orange Lamp"),
)
_NGO_KINDS = (
    ("Qadınlara Dəstək İctimai Birliyi", "Women's Support Public Union", OrgType.NGO),
    ("Sığınacağı", "Shelter", OrgType.SHELTER),
    ("Hüquqi Yardım Mərkəzi", "Legal Aid Centre", OrgType.NGO),
    ("Miqrantlara Yardım İctimai Birliyi", "Migrant Assistance Public Union", OrgType.NGO),
    ("Uşaq Hüquqları Təşəbbüsü", "Child Rights Initiative", OrgType.NGO),
)


def ngo_spec(index: int) -> OrgSpec:
    """The fictional NGO number ``index`` (the same one on every run)."""
    stem, stem_en = _NGO_STEMS[index % len(_NGO_STEMS)]
    kind, kind_en, org_type = _NGO_KINDS[(index // len(_NGO_STEMS) + index) % len(_NGO_KINDS)]
    cycle = index // (len(_NGO_STEMS) * len(_NGO_KINDS))
    region = names.AZ_REGIONS[(index * 7) % len(names.AZ_REGIONS)]
    suffix = f" {cycle + 1}" if cycle else ""
    return OrgSpec(
        key=f"ngo{index}",
        name=f"{region} «{stem}» {kind}{suffix}",
        name_en=f"“{stem_en}” {kind_en}{suffix}, {region}",
        name_ru="",
        org_type=org_type,
        region=region,
    )


def ensure_organisations(specs: Sequence[OrgSpec]) -> tuple[dict[str, Organisation], int]:
    """Create the organisations in ``specs`` that do not exist yet (by name); return them by key."""
    found = {org.name: org for org in Organisation.objects.filter(name__in=[spec.name for spec in specs])}
    created = 0
    result: dict[str, Organisation] = {}
    for spec in specs:
        org = found.get(spec.name)
        if org is None:
            org = Organisation.objects.create(
                name=spec.name,
                name_en=spec.name_en,
                name_ru=spec.name_ru,
                short_name=spec.short_name,
                org_type=spec.org_type,
                region=spec.region,
                phone=spec.phone,
            )
            created += 1
        result[spec.key] = org
    return result, created


# Share of persons each kind of organisation records (first contact / identification).
RECORDING_WEIGHTS: dict[str, float] = {
    OrgType.POLICE_ATD: 45,
    OrgType.ASSISTANCE_CENTRE: 10,
    OrgType.HOTLINE: 8,
    OrgType.SHELTER: 7,
    OrgType.NGO: 14,
    OrgType.IMMIGRATION_SERVICE: 8,
    OrgType.LABOUR_INSPECTORATE: 4,
    OrgType.CHILD_PROTECTION: 4,
}


@dataclass
class Recorders:
    """Which organisations record persons, how often, and which accounts of theirs sign."""

    organisations: list[Organisation]
    cumulative: list[float]
    creators: Mapping[int, Sequence[Any]] = field(default_factory=dict)

    @classmethod
    def among(
        cls, organisations: Sequence[Organisation], creators: Mapping[int, Sequence[Any]] | None = None
    ) -> Recorders:
        """Recorders among ``organisations``: each kind's share split evenly between its members."""
        by_type: dict[str, list[Organisation]] = {}
        for org in sorted(organisations, key=lambda o: o.pk):
            if org.org_type in RECORDING_WEIGHTS:
                by_type.setdefault(org.org_type, []).append(org)
        chosen: list[Organisation] = []
        cumulative: list[float] = []
        total = 0.0
        for org_type, members in by_type.items():
            for org in members:
                total += RECORDING_WEIGHTS[org_type] / len(members)
                chosen.append(org)
                cumulative.append(total)
        if not chosen:
            raise ValueError("No organisation that records persons (run with the national organisations).")
        return cls(chosen, [c / total for c in cumulative], creators or {})

    def pick(self, slot: float, signer: float) -> tuple[Organisation, Any]:
        """The organisation at ``slot`` (0-1) and one of its accounts (or ``None``) at ``signer``."""
        org = self.organisations[min(bisect.bisect_left(self.cumulative, slot), len(self.organisations) - 1)]
        people = self.creators.get(org.pk) or ()
        return org, (people[int(signer * len(people))] if people else None)


# --- Persons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """One synthetic person, before it touches the database."""

    index: int
    id: uuid.UUID
    first_name: str
    last_name: str
    middle_name: str
    gender: str
    birth_date: str
    birth_year: int | None
    citizenship: str
    languages: tuple[str, ...]
    document_type: str
    document_number: str
    phone: str
    email: str
    exploitation: str  # HTCDS vic_TypeOfExploitation
    exploitation_country: str  # ISO 3166
    recorder_slot: float
    signer_slot: float

    def age(self) -> int | None:
        """Age at :data:`REFERENCE_DATE` (``None`` when unknown; the lower bound with a year only)."""
        return age_at_reference(self.birth_date, self.birth_year)


def age_at_reference(birth_date: str, birth_year: int | None) -> int | None:
    """Age at :data:`REFERENCE_DATE`, as :meth:`Person.age_on` counts it."""
    if birth_date:
        born = datetime.date.fromisoformat(birth_date)
        before_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day)
        return REFERENCE_DATE.year - born.year - before_birthday
    if birth_year is not None:
        return REFERENCE_DATE.year - birth_year - 1
    return None


def _weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    roll = rng.random() * sum(weight for _value, weight in table)
    for value, weight in table:
        roll -= weight
        if roll < 0:
            return value
    return table[-1][0]


_FOREIGN_CITIZENSHIP = (("UZ", 30), ("TM", 25), ("GE", 12), ("RU", 10), ("UA", 5), ("TR", 9), ("IR", 9))
_EXPLOITATION_COUNTRY_OF_CITIZENS = (
    ("TR", 35), ("AE", 25), ("AZ", 15), ("RU", 12), ("IR", 5), ("GE", 3), ("QA", 2), ("MY", 2), ("KZ", 1),
)  # fmt: skip
_ADULT_WOMAN_EXPLOITATION = (
    ("SexualExploitation", 98.5), ("ForcedLabour", 0.8), ("ForcedMarriage", 0.4), ("Servitude", 0.3),
)  # fmt: skip
_ADULT_MAN_EXPLOITATION = (
    ("ForcedLabour", 80), ("ForcedBegging", 8), ("SexualExploitation", 5), ("Other", 7),
)  # fmt: skip
_GIRL_EXPLOITATION = (
    ("SexualExploitation", 85),
    ("ForcedBegging", 6),
    ("ChildLabour", 5),
    ("ForcedMarriage", 4),
)
_BOY_EXPLOITATION = (("ChildLabour", 50), ("ForcedBegging", 40), ("SexualExploitation", 10))


def _age_and_birth(rng: random.Random) -> tuple[str, int | None]:
    """(birth date ISO or "", birth year or None): children 6 %, unknown 2 %, year-only 3 %."""
    roll = rng.random()
    if roll < 0.02:
        return "", None
    if roll < 0.08:
        age = rng.randint(14, 17) if rng.random() < 0.8 else rng.randint(8, 13)
    elif roll < 0.13:
        age = rng.randint(39, 55)
    else:
        age = min(max(round(rng.gauss(27, 6.5)), 18), 38 if rng.random() < 0.9 else 60)
    born = REFERENCE_DATE - datetime.timedelta(days=age * 365 + rng.randint(1, 364))
    # A few people know only their year of birth (or it is estimated).
    if rng.random() < 0.03:
        return "", born.year
    return born.isoformat(), born.year


def _az_document(rng: random.Random, child: bool) -> tuple[str, str]:
    if child:
        if rng.random() < 0.6:
            return (
                DocumentType.BIRTH_CERTIFICATE,
                f"II-{rng.choice('ABCDEFGH')}{rng.choice('KLMNPQ')} {rng.randint(100000, 999999)}",
            )
        return "", ""
    roll = rng.random()
    if roll < 0.55:
        if rng.random() < 0.5:
            return DocumentType.NATIONAL_IDENTITY_CARD, f"AZE{rng.randint(10000000, 99999999)}"
        return DocumentType.NATIONAL_IDENTITY_CARD, f"AA{rng.randint(1000000, 9999999)}"
    if roll < 0.70:
        return DocumentType.PASSPORT, f"C{rng.randint(10000000, 99999999)}"
    if roll < 0.73:
        return DocumentType.RETURN_CERTIFICATE, f"RC-{rng.randint(1000, 9999)}/{rng.randint(2015, 2024)}"
    return "", ""  # withheld by the traffickers, lost or not known


def _foreign_document(rng: random.Random, citizenship: str) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.60:
        prefix = {"UZ": "FA", "TM": "A", "RU": "75", "GE": "13", "UA": "FE", "TR": "U", "IR": "E"}[
            citizenship
        ]
        return DocumentType.PASSPORT, f"{prefix}{rng.randint(1000000, 9999999)}"
    if roll < 0.65:
        return DocumentType.RESIDENCE_PERMIT, f"MYİ {rng.randint(100000, 999999)}"
    return "", ""


def person_record(seed: int, index: int) -> PersonRecord:
    """Synthetic person number ``index`` of ``seed``; a pure function of the two."""
    rng = random.Random(f"azad-demo:{seed}:{index}")
    key = hashlib.sha256(f"azad-demo-person:{seed}:{index}".encode()).digest()[:16]
    person_id = uuid.UUID(bytes=key, version=4)

    birth_date, birth_year = _age_and_birth(rng)
    gender = _weighted(
        rng, ((Gender.FEMININE, 95.5), (Gender.MASCULINE, 4.0), (Gender.NON_SPECIFIED_UNKNOWN, 0.5))
    )
    woman = gender != Gender.MASCULINE
    age = age_at_reference(birth_date, birth_year)
    child = age is not None and age < 18

    if child:
        exploitation = _weighted(rng, _GIRL_EXPLOITATION if woman else _BOY_EXPLOITATION)
    else:
        exploitation = _weighted(rng, _ADULT_WOMAN_EXPLOITATION if woman else _ADULT_MAN_EXPLOITATION)

    citizenship = "AZ" if rng.random() < 0.86 else _weighted(rng, _FOREIGN_CITIZENSHIP)
    if citizenship == "AZ":
        first = rng.choice(names.AZ_FEMALE_FIRST_NAMES if woman else names.AZ_MALE_FIRST_NAMES)
        if rng.random() < 0.1:
            last = rng.choice(names.AZ_NEUTRAL_SURNAMES)
        else:
            last = rng.choice(names.AZ_SURNAMES)
            last = names.female_surname(last) if woman else last
        father = rng.choice(names.AZ_MALE_FIRST_NAMES)
        middle = f"{father} {names.PATRONYMIC_DAUGHTER if woman else names.PATRONYMIC_SON}"
        document_type, document_number = _az_document(rng, child)
        exploitation_country = _weighted(rng, _EXPLOITATION_COUNTRY_OF_CITIZENS)
        languages = ["az", "ru"] if rng.random() < 0.25 else ["az"]
    else:
        female_names, male_names, surnames, inflects = names.FOREIGN_NAMES[citizenship]
        first = rng.choice(female_names if woman else male_names)
        last = rng.choice(surnames)
        if woman and inflects:
            last = names.female_surname(last)
        middle = ""
        document_type, document_number = _foreign_document(rng, citizenship)
        exploitation_country = "AZ"
        languages = list(names.LANGUAGES_BY_CITIZENSHIP[citizenship])
    if rng.random() < 0.12 and "ru" not in languages:
        languages.append("ru")

    phone = ""
    if rng.random() < (0.6 if citizenship == "AZ" else 0.4):
        prefix = rng.choice(names.AZ_MOBILE_PREFIXES)
        phone = f"+994 {prefix} {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    email = ""
    if not child and rng.random() < 0.08:
        email = f"{names.ascii_name(first).lower()}.{names.ascii_name(last).lower()}{rng.randint(1, 999)}@example.org"

    return PersonRecord(
        index=index,
        id=person_id,
        first_name=first,
        last_name=last,
        middle_name=middle,
        gender=gender,
        birth_date=birth_date,
        birth_year=birth_year,
        citizenship=citizenship,
        languages=tuple(languages),
        document_type=document_type,
        document_number=document_number,
        phone=phone,
        email=email,
        exploitation=exploitation,
        exploitation_country=exploitation_country,
        recorder_slot=rng.random(),
        signer_slot=rng.random(),
    )


def person_records(count: int, *, seed: int, start: int = 0) -> Iterator[PersonRecord]:
    """Persons ``start`` .. ``start + count - 1`` of ``seed``."""
    for index in range(start, start + count):
        yield person_record(seed, index)


def build_person(
    record: PersonRecord, recorders: Recorders, name_hashes: dict[str, str] | None = None
) -> Person:
    """An unsaved :class:`Person` for ``record`` with its search hashes computed.

    ``name_hashes`` memoises name hashes across one run: synthetic names repeat a lot.
    """
    organisation, creator = recorders.pick(record.recorder_slot, record.signer_slot)
    person = Person(
        id=record.id,
        first_name=record.first_name,
        last_name=record.last_name,
        middle_name=record.middle_name,
        gender=record.gender,
        birth_date=record.birth_date,
        birth_year=record.birth_year,
        citizenship=record.citizenship,
        languages=list(record.languages),
        document_type=record.document_type,
        document_number=record.document_number,
        phone=record.phone,
        email=record.email,
        organisation=organisation,
        created_by=creator,
    )
    if name_hashes is None:
        person.refresh_derived()
    else:

        def hash_name(name: str) -> str:
            if name not in name_hashes:
                name_hashes[name] = person_name_hash(name)
            return name_hashes[name]

        person.refresh_derived(hash_name=hash_name)
    return person


@dataclass
class GenerateResult:
    """What a generator run did."""

    created: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[int, int, float], None]


def generate_persons(
    count: int,
    *,
    seed: int,
    recorders: Recorders,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> GenerateResult:
    """Write persons ``0 .. count - 1`` of ``seed``, skipping the ones already there.

    Each batch is one transaction: the bulk insert and one ``demo.generate``
    audit event with counts only. ``progress(done, count, persons_per_second)``
    is called after every batch.
    """
    if count < 0 or batch_size < 1:
        raise ValueError("count must be >= 0 and batch_size >= 1")
    result = GenerateResult()
    name_hashes: dict[str, str] = {}
    started = time.perf_counter()
    for start in range(0, count, batch_size):
        records = list(person_records(min(batch_size, count - start), seed=seed, start=start))
        existing = set(Person.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
        persons = [build_person(r, recorders, name_hashes) for r in records if r.id not in existing]
        with transaction.atomic():
            if persons:
                Person.objects.bulk_create(persons, batch_size=batch_size)
                record_event(
                    "demo.generate",
                    actor=GENERATOR_ACTOR,
                    target_type="persons.person",
                    payload={"count": len(persons), "seed": seed, "first_index": start},
                )
        result.created += len(persons)
        result.skipped += len(existing)
        result.seconds = time.perf_counter() - started
        if progress is not None:
            progress(start + len(records), count, result.per_second)
    result.seconds = time.perf_counter() - started
    return result
