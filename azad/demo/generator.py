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


# --- Cases -------------------------------------------------------------------------------------
#
# Case number *i* of seed *s* belongs to person ``i % persons`` of the same seed, so ``--cases``
# equal to ``--persons`` gives every person one case and more cases give some a second one. Its
# way through the referral mechanism is drawn as a path of stages with their times and cut at
# CASES_UNTIL: the stage is the last step reached, so the stage and every timestamp agree.

CASES_FROM = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
CASES_UNTIL = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
_DAY = datetime.timedelta(days=1)
END_STAGE_NAMES = frozenset({"closed", "withdrawn", "transferred"})

# How the person first came to notice, by the kind of organisation that met her.
_CHANNEL_BY_ORG_TYPE: dict[str, tuple[tuple[str, float], ...]] = {
    OrgType.POLICE_ATD: (("Police", 80), ("Border", 8), ("Consulate", 12)),
    OrgType.HOTLINE: (("Hotline", 100),),
    OrgType.IMMIGRATION_SERVICE: (("Migration", 60), ("Border", 40)),
    OrgType.LABOUR_INSPECTORATE: (("LabourInspection", 100),),
    OrgType.NGO: (("NgoOutreach", 85), ("Other", 15)),
    OrgType.SHELTER: (("NgoOutreach", 70), ("Other", 30)),
    OrgType.ASSISTANCE_CENTRE: (("Other", 60), ("NgoOutreach", 40)),
    OrgType.CHILD_PROTECTION: (("Other", 100),),
}
_CONTROL_METHODS = (
    ("FalsePromises", 60), ("WithholdsDocuments", 45), ("TakesEarnings", 35), ("DebtBondage", 25),
    ("PsychologicalAbuse", 30), ("PhysicalThreats", 20), ("PhysicalAbuse", 12), ("SexualAbuse", 10),
    ("ThreatensChildrenFamily", 10), ("RestrictsFinancialAccess", 10), ("ExcessiveWorkingHours", 12),
    ("ThreatsLawEnforcement", 8), ("WithholdsNecessities", 5), ("PsychoactiveSubstance", 3),
    ("RestrictsMedicalCare", 3),
)  # fmt: skip
_TRANSIT_COUNTRIES = (("GE", 40), ("RU", 20), ("IR", 20), ("TR", 20))
# Baku first, the big cities next, the rest of the regions after.
_REGION_WEIGHTS = tuple(
    (region, 30.0 if i == 0 else 5.0 if i < 8 else 1.5) for i, region in enumerate(names.AZ_REGIONS)
)
# Outcomes of cases first met more than a year before CASES_UNTIL (mostly over) and of recent ones;
# "closed_actual" went through identification and assistance, "closed_not" through a negative decision.
_OLD_OUTCOMES = (
    ("closed_actual", 13), ("closed_not", 22), ("not_identified", 12), ("withdrawn", 14),
    ("transferred", 5), ("reintegration", 6), ("assistance", 5), ("identified", 2),
)  # fmt: skip
_RECENT_OUTCOMES = (
    ("closed_actual", 6), ("closed_not", 5), ("not_identified", 15), ("withdrawn", 5), ("transferred", 2),
    ("reintegration", 8), ("assistance", 14), ("identified", 8), ("reflection", 10),
    ("referred_to_atd", 7), ("presumed", 6),
)  # fmt: skip
_CLOSURE_OF_VICTIMS = (
    ("ServicesCompleted", 60), ("DeclinedServices", 12), ("LostContact", 12), ("Relocated", 6), ("Other", 2),
)  # fmt: skip
_WITHDRAWALS = (("PersonWithdrew", 70), ("Duplicate", 12), ("OpenedInError", 10), ("Other", 8))
_ABROAD_PARTNERS = {
    "TR": "IOM Türkiye", "AE": "Dubai Foundation for Women and Children", "RU": "IOM Moscow",
    "GE": "Georgian State Fund for Victims of Trafficking", "UZ": "IOM Uzbekistan",
    "TM": "IOM Turkmenistan", "IR": "Iranian Red Crescent", "UA": "IOM Ukraine",
}  # fmt: skip


@dataclass(frozen=True)
class CaseRecord:
    """One synthetic case before it touches the database; a pure function of seed, index and persons."""

    index: int
    id: uuid.UUID
    person: PersonRecord
    is_child: bool
    path: tuple[tuple[str, datetime.datetime], ...]  # (stage, when) in order; the last is the stage
    trafficking_status: str
    exploitation_types: tuple[str, ...]
    control_methods: tuple[str, ...]
    closure_reason: str
    withdrawal_reason: str
    transferred_to_country: str
    child_notified_at: datetime.datetime | None
    allowance_paid_at: datetime.datetime | None
    residence_permit_issued_on: datetime.date | None
    region: str
    historic_events: tuple[tuple[str, str, str, datetime.date], ...]  # (type, country, place, from)
    channel_slot: float
    decider_slot: float
    referral_slot: float

    @property
    def stage(self) -> str:
        return self.path[-1][0]

    @property
    def first_contact_at(self) -> datetime.datetime:
        return self.path[0][1]

    def reached(self, stage: str) -> datetime.datetime | None:
        """When the case reached ``stage`` (``None`` if it did not)."""
        return next((when for name, when in self.path if name == stage), None)

    def left(self, stage: str) -> datetime.datetime | None:
        """When the case moved on from ``stage`` (``None`` if it is still there or never was)."""
        names_in_path = [name for name, _when in self.path]
        if stage not in names_in_path or names_in_path[-1] == stage:
            return None
        return self.path[names_in_path.index(stage) + 1][1]


def _uuid_for(*parts: object) -> uuid.UUID:
    key = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()[:16]
    return uuid.UUID(bytes=key, version=4)


def _age_on(person: PersonRecord, day: datetime.date) -> int | None:
    if person.birth_date:
        born = datetime.date.fromisoformat(person.birth_date)
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if person.birth_year is not None:
        return day.year - person.birth_year - 1
    return None


def _adult_from(person: PersonRecord) -> datetime.datetime | None:
    """When a person adult at :data:`REFERENCE_DATE` turned 18 (``None`` for children and unknown ages)."""
    age = person.age()
    if age is None or age < 18:
        return None
    if person.birth_date:
        born = datetime.date.fromisoformat(person.birth_date)
        day = datetime.date(born.year + 18, born.month, 28 if (born.month, born.day) == (2, 29) else born.day)
    else:
        day = datetime.date(int(person.birth_year or 0) + 19, 1, 1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _case_path(rng: random.Random, contact: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    recent = CASES_UNTIL - contact < 365 * _DAY
    outcome = _weighted(rng, _RECENT_OUTCOMES if recent else _OLD_OUTCOMES)
    referred = contact + datetime.timedelta(hours=rng.expovariate(1 / 16))  # some later than 24 h
    reflection = referred + datetime.timedelta(hours=rng.uniform(2, 96))
    decided = reflection + datetime.timedelta(days=rng.uniform(5, 30))
    assisted = decided + datetime.timedelta(days=rng.uniform(1, 10))
    reintegrated = assisted + datetime.timedelta(days=rng.uniform(30, 240))
    ended = datetime.timedelta(days=rng.uniform(20, 400))
    routes: dict[str, list[tuple[str, datetime.datetime]]] = {"presumed": [("presumed", contact)]}
    routes["referred_to_atd"] = [*routes["presumed"], ("referred_to_atd", referred)]
    routes["reflection"] = [*routes["referred_to_atd"], ("reflection", reflection)]
    routes["identified"] = [*routes["reflection"], ("identified", decided)]
    routes["not_identified"] = [*routes["reflection"], ("not_identified", decided)]
    routes["assistance"] = [*routes["identified"], ("assistance", assisted)]
    routes["reintegration"] = [*routes["assistance"], ("reintegration", reintegrated)]
    routes["closed_actual"] = [*routes["reintegration"], ("closed", reintegrated + ended)]
    routes["closed_not"] = [*routes["not_identified"], ("closed", decided + ended)]
    before = routes["presumed" if rng.random() < 0.6 else "referred_to_atd"]
    routes["withdrawn"] = [*before, ("withdrawn", before[-1][1] + ended / 10)]
    before = routes["referred_to_atd" if rng.random() < 0.5 else "reflection"]
    routes["transferred"] = [*before, ("transferred", before[-1][1] + ended / 5)]
    return [step for step in routes[outcome] if step[1] <= CASES_UNTIL]


def case_record(seed: int, index: int, persons: int) -> CaseRecord:
    """Synthetic case number ``index`` of ``seed``, of person ``index % persons``."""
    if persons < 1:
        raise ValueError("persons must be >= 1")
    rng = random.Random(f"azad-demo-case:{seed}:{index}")
    person = person_record(seed, index % persons)
    span = (CASES_UNTIL - CASES_FROM).total_seconds()
    # More cases in recent years: the mechanism grows.
    share = rng.random() ** 0.7
    contact = CASES_FROM + datetime.timedelta(seconds=int(span * share))
    adult_from = _adult_from(person)
    if adult_from is not None and contact < adult_from < CASES_UNTIL:
        # An adult at the reference date was met as an adult: the same share of her adult years.
        contact = adult_from + (CASES_UNTIL - adult_from) * share
    age = _age_on(person, contact.date())
    path = _case_path(rng, contact)
    stages = {name for name, _when in path}
    decided = next((when for name, when in path if name in ("identified", "not_identified")), None)

    status = "PossibleVictimOfTrafficking"
    if "identified" in stages:
        status = "ActualVictimOfTrafficking"
    elif "not_identified" in stages:
        status = "NotAVictimOfTrafficking"

    exploitation = [person.exploitation]
    if rng.random() < 0.08:
        table = _ADULT_MAN_EXPLOITATION if person.gender == Gender.MASCULINE else _ADULT_WOMAN_EXPLOITATION
        second = _weighted(rng, table)
        if second not in exploitation:
            exploitation.append(second)
    controls: list[str] = []
    for _ in range(rng.randint(1, 4)):
        method = _weighted(rng, _CONTROL_METHODS)
        if method not in controls:
            controls.append(method)

    closure = withdrawal = abroad = ""
    last = path[-1][0]
    if last == "closed":
        if status != "ActualVictimOfTrafficking":
            closure = "NotAVictim"
        elif person.citizenship != "AZ" and rng.random() < 0.5:
            closure = "Repatriated"
        else:
            closure = _weighted(rng, _CLOSURE_OF_VICTIMS)
    elif last == "withdrawn":
        withdrawal = _weighted(rng, _WITHDRAWALS)
    elif last == "transferred":
        abroad = person.citizenship if person.citizenship != "AZ" else person.exploitation_country
        abroad = abroad if abroad != "AZ" else "TR"

    is_child = age is None or age < 18
    child_notified = None
    referred = dict(path).get("referred_to_atd")
    if is_child and referred is not None:
        child_notified = path[0][1] + (referred - path[0][1]) * rng.uniform(0.1, 1.0)
    allowance = None
    assisted = dict(path).get("assistance")
    if assisted is not None and rng.random() < 0.75:
        until = path[-1][1] if last in END_STAGE_NAMES else CASES_UNTIL
        allowance = min(assisted + datetime.timedelta(days=rng.uniform(3, 40)), until)
    permit = None
    actual = status == "ActualVictimOfTrafficking"
    if person.citizenship != "AZ" and decided is not None and actual and rng.random() < 0.7:
        permit = min((decided + datetime.timedelta(days=rng.uniform(1, 15))).date(), CASES_UNTIL.date())

    region = _weighted(rng, _REGION_WEIGHTS)
    events: list[tuple[str, str, str, datetime.date]] = []
    if rng.random() < 0.8:
        start = (contact - datetime.timedelta(days=rng.uniform(30, 720))).date()
        origin = person.citizenship
        events.append(("Recruitment", origin, region if origin == "AZ" else "", start))
        if origin != person.exploitation_country and rng.random() < 0.3:
            transit = _weighted(rng, _TRANSIT_COUNTRIES)
            events.append(("Transit", transit, "", start + datetime.timedelta(days=rng.randint(1, 20))))
        exploited_in = person.exploitation_country
        place = region if exploited_in == "AZ" else ""
        events.append(
            ("Exploitation", exploited_in, place, start + datetime.timedelta(days=rng.randint(5, 30)))
        )
    return CaseRecord(
        index=index,
        id=_uuid_for("azad-demo-case", seed, index),
        person=person,
        is_child=is_child,
        path=tuple(path),
        trafficking_status=status,
        exploitation_types=tuple(exploitation),
        control_methods=tuple(controls),
        closure_reason=closure,
        withdrawal_reason=withdrawal,
        transferred_to_country=abroad,
        child_notified_at=child_notified,
        allowance_paid_at=allowance,
        residence_permit_issued_on=permit,
        region=region,
        historic_events=tuple(events),
        channel_slot=rng.random(),
        decider_slot=rng.random(),
        referral_slot=rng.random(),
    )


def case_records(count: int, *, seed: int, persons: int, start: int = 0) -> Iterator[CaseRecord]:
    """Cases ``start`` .. ``start + count - 1`` of ``seed``."""
    for index in range(start, start + count):
        yield case_record(seed, index, persons)


@dataclass
class CaseWriters:
    """Who the generated cases name: the recorders, ATD and its deciders, and a fallback signer.

    ``signer`` signs the rows that need an account (referrals, historic events)
    when the owner organisation has no account of its own.
    """

    recorders: Recorders
    atd: Organisation
    signer: Any
    deciders: Sequence[Any] = ()


def _has_field(model: type[Any], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def build_case(record: CaseRecord, writers: CaseWriters, *, seed: int) -> tuple[Any, list[Any]]:
    """An unsaved case for ``record`` and the rows that go with it (its referral to ATD, its history)."""
    from azad.cases.models import Case, HistoricEvent, Referral

    organisation, owner = writers.recorders.pick(record.person.recorder_slot, record.person.signer_slot)
    by_atd = organisation.pk == writers.atd.pk
    path = list(record.path)
    if by_atd and len(path) > 1:  # ATD's own cases are referred to it at first contact
        path[1] = ("referred_to_atd", path[0][1])
    times = dict(path)
    contact = path[0][1]
    channel = _weighted(
        random.Random(record.channel_slot), _CHANNEL_BY_ORG_TYPE.get(organisation.org_type, (("Other", 1),))
    )
    decided = times.get("identified") or times.get("not_identified")
    decider = (
        writers.deciders[int(record.decider_slot * len(writers.deciders))]
        if writers.deciders and decided
        else None
    )
    ended = path[-1][1] if record.stage in END_STAGE_NAMES else None
    values: dict[str, Any] = {
        "id": record.id,
        "person_id": record.person.id,
        "owner_organisation": organisation,
        "owner": owner,
        "created_by": owner,
        "stage": record.stage,
        "stage_changed_at": path[-1][1],
        "is_child": record.is_child,
        "first_contact_at": contact,
        "first_contact_channel": channel,
        "referred_to_atd_at": contact if by_atd else times.get("referred_to_atd"),
        "child_notifications_completed_at": record.child_notified_at,
        "reflection_started_at": times.get("reflection"),
        "reflection_closed_at": record.left("reflection"),
        "trafficking_status": record.trafficking_status,
        "status_decided_at": decided,
        "status_decided_by": decider,
        "status_decision_organisation": writers.atd if decided else None,
        "exploitation_types": list(record.exploitation_types),
        "control_methods": list(record.control_methods),
        "residence_permit_issued_on": record.residence_permit_issued_on,
        "residence_permit_expires_on": (
            record.residence_permit_issued_on + datetime.timedelta(days=365)
            if record.residence_permit_issued_on
            else None
        ),
        "allowance_paid_at": record.allowance_paid_at,
        "ended_at": ended,
        "closure_reason": record.closure_reason,
        "withdrawal_reason": record.withdrawal_reason,
        "transferred_to_country": record.transferred_to_country,
        "transferred_to_name": _ABROAD_PARTNERS.get(record.transferred_to_country, "")
        if record.transferred_to_country
        else "",
    }
    if _has_field(Case, "region"):
        values["region"] = record.region
    referred = times.get("referred_to_atd")
    if referred is not None and not by_atd:
        values["atd_organisation"] = writers.atd  # the referral below is pending, accepted or completed
    case = Case(**values)
    signer = owner or writers.signer
    related: list[Any] = []
    if referred is not None and not by_atd:
        following = record.left("referred_to_atd")
        if following is None:
            status = "pending" if record.referral_slot < 0.4 else "accepted"
        else:
            status = "completed" if record.stage in END_STAGE_NAMES else "accepted"
        answered = None
        if status != "pending":
            answered = referred + ((following or referred + _DAY) - referred) * record.referral_slot
        related.append(
            Referral(
                id=_uuid_for("azad-demo-atd-referral", seed, record.index),
                case=case,
                from_organisation=organisation,
                to_organisation=writers.atd,
                purpose="identification",
                shares=["identity", "case_content"],
                status=status,
                sent_at=referred,
                created_by=signer,
                responded_at=answered,
                responded_by=decider if answered else None,
                completed_at=ended if status == "completed" else None,
            )
        )
    for number, (kind, country, place, day) in enumerate(record.historic_events):
        related.append(
            HistoricEvent(
                id=_uuid_for("azad-demo-historic-event", seed, record.index, number),
                case=case,
                event_type=kind,
                country=country,
                place=place,
                date_from=day,
                recorded_by=signer,
            )
        )
    return case, related


def generate_cases(
    count: int,
    *,
    seed: int,
    persons: int,
    writers: CaseWriters,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> GenerateResult:
    """Write cases ``0 .. count - 1`` of ``seed`` (persons ``0 .. persons - 1`` must exist), skipping existing ones.

    Each batch is one transaction: the cases, their referrals to ATD and historic
    events, and one ``demo.generate`` audit event with counts only. ``created_at``
    is set to the first contact, as if each case had been opened then.
    """
    from django.db.models import F

    from azad.cases.models import Case, HistoricEvent, Referral

    if count < 0 or batch_size < 1 or persons < 1:
        raise ValueError("count must be >= 0, persons and batch_size >= 1")
    result = GenerateResult()
    started = time.perf_counter()
    for start in range(0, count, batch_size):
        records = list(case_records(min(batch_size, count - start), seed=seed, persons=persons, start=start))
        existing = set(Case.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
        cases: list[Any] = []
        referrals: list[Any] = []
        events: list[Any] = []
        for record in records:
            if record.id in existing:
                continue
            case, related = build_case(record, writers, seed=seed)
            cases.append(case)
            for row in related:
                (referrals if isinstance(row, Referral) else events).append(row)
        with transaction.atomic():
            if cases:
                Case.objects.bulk_create(cases, batch_size=batch_size)
                Case.objects.filter(pk__in=[c.pk for c in cases]).update(
                    created_at=F("first_contact_at"), updated_at=F("stage_changed_at")
                )
                Referral.objects.bulk_create(referrals, batch_size=batch_size)
                HistoricEvent.objects.bulk_create(events, batch_size=batch_size)
                record_event(
                    "demo.generate",
                    actor=GENERATOR_ACTOR,
                    target_type="cases.case",
                    payload={
                        "count": len(cases),
                        "referrals": len(referrals),
                        "historic_events": len(events),
                        "seed": seed,
                        "first_index": start,
                    },
                )
        result.created += len(cases)
        result.skipped += len(existing)
        result.seconds = time.perf_counter() - started
        if progress is not None:
            progress(start + len(records), count, result.per_second)
    result.seconds = time.perf_counter() - started
    return result


# --- Hotline calls -----------------------------------------------------------------------------

_CALL_REASONS = (
    ("safe_migration_advice", 34), ("information_request", 26), ("report_suspected_trafficking", 12),
    ("victim_seeking_help", 5), ("complaint", 5), ("silent_or_hoax", 18),
)  # fmt: skip
_CALLER_TYPES = (
    ("public", 35), ("potential_victim", 20), ("relative", 15), ("anonymous", 15), ("professional", 6),
    ("witness", 5), ("victim", 4),
)  # fmt: skip
_CALL_LANGUAGES = (("az", 80), ("ru", 15), ("en", 2), ("other", 3))
_CALLS_FROM_ABROAD = (("TR", 35), ("RU", 30), ("AE", 20), ("GE", 10), ("DE", 5))
# Calls by hour of the day in Baku: office hours busiest, a few at night.
_CALL_HOURS = tuple(
    (hour, weight)
    for hour, weight in enumerate(
        (1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 4, 7, 9, 10, 9, 8, 9, 10, 9, 8, 6, 5, 4, 3, 2, 1.5)
    )
)
_CALL_SUMMARIES = (
    "Xaricdə iş təklifi barədə məlumat istədi.",
    "Qohumunun sənədləri işəgötürən tərəfindən alınıb.",
    "Miqrasiya qaydaları barədə soruşdu.",
    "Səssiz zəng.",
    "Şübhəli elan barədə məlumat verdi.",
    "Sığınacaq və yardım barədə soruşdu.",
)
BAKU_OFFSET = datetime.timedelta(hours=4)  # Asia/Baku: UTC+4 all year


@dataclass(frozen=True)
class CallRecord:
    """One synthetic hotline call; a pure function of seed and index."""

    index: int
    id: uuid.UUID
    idempotency_key: uuid.UUID
    started_at: datetime.datetime
    ended_at: datetime.datetime
    caller_type: str
    language: str
    reason: str
    region: str
    country: str
    urgency: str
    actions: tuple[str, ...]
    summary: str
    operator_slot: float


def call_record(seed: int, index: int) -> CallRecord:
    """Synthetic call number ``index`` of ``seed``."""
    rng = random.Random(f"azad-demo-call:{seed}:{index}")
    days = (CASES_UNTIL - CASES_FROM).days
    day = CASES_FROM.date() + datetime.timedelta(days=int(days * rng.random() ** 0.8))
    hour = _weighted(rng, _CALL_HOURS)
    local = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59), rng.randint(0, 59)))
    started = (local - BAKU_OFFSET).replace(tzinfo=datetime.UTC)
    reason = _weighted(rng, _CALL_REASONS)
    silent = reason == "silent_or_hoax"
    duration = rng.uniform(5, 40) if silent else min(rng.lognormvariate(5.5, 0.6), 3600)
    abroad = rng.random() < 0.08
    serious = reason in ("report_suspected_trafficking", "victim_seeking_help")
    if serious:
        urgency = _weighted(rng, (("immediate_danger", 8), ("urgent", 40), ("routine", 52)))
    else:
        urgency = "routine" if rng.random() < 0.97 else "urgent"
    actions: list[str] = []
    if not silent:
        actions.append("information_given")
        if serious and rng.random() < 0.45:
            actions.append("referred_to_atd")
        elif rng.random() < 0.06:
            actions.append("referred_to_service")
        if rng.random() < 0.04:
            actions.append("callback_agreed")
    return CallRecord(
        index=index,
        id=_uuid_for("azad-demo-call", seed, index),
        idempotency_key=_uuid_for("azad-demo-call-key", seed, index),
        started_at=started,
        ended_at=started + datetime.timedelta(seconds=round(duration)),
        caller_type="anonymous" if silent else _weighted(rng, _CALLER_TYPES),
        language=_weighted(rng, _CALL_LANGUAGES),
        reason=reason,
        region="" if abroad else _weighted(rng, _REGION_WEIGHTS),
        country=_weighted(rng, _CALLS_FROM_ABROAD) if abroad else "",
        urgency=urgency,
        actions=tuple(actions),
        summary=_CALL_SUMMARIES[3] if silent else rng.choice(_CALL_SUMMARIES),
        operator_slot=rng.random(),
    )


def generate_calls(
    count: int,
    *,
    seed: int,
    hotline: Organisation,
    operators: Sequence[Any],
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> GenerateResult:
    """Write hotline calls ``0 .. count - 1`` of ``seed`` to ``hotline``, skipping existing ones.

    Anonymous calls (no caller identity); the summary is encrypted like any
    other. One transaction and one ``demo.generate`` audit event per batch.
    """
    from django.db.models import F

    from azad.hotline.choices import REFERRAL_ACTIONS
    from azad.hotline.models import Call

    if count < 0 or batch_size < 1:
        raise ValueError("count must be >= 0 and batch_size >= 1")
    if not operators:
        raise ValueError("Calls need at least one operator account.")
    result = GenerateResult()
    started = time.perf_counter()
    for start in range(0, count, batch_size):
        records = [call_record(seed, i) for i in range(start, min(start + batch_size, count))]
        existing = set(Call.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
        calls = [
            Call(
                id=r.id,
                idempotency_key=r.idempotency_key,
                organisation=hotline,
                operator=operators[int(r.operator_slot * len(operators))],
                started_at=r.started_at,
                ended_at=r.ended_at,
                caller_type=r.caller_type,
                language=r.language,
                reason=r.reason,
                region=r.region,
                country=r.country,
                urgency=r.urgency,
                summary=r.summary,
                actions=list(r.actions),
                referred=any(a in REFERRAL_ACTIONS for a in r.actions),
            )
            for r in records
            if r.id not in existing
        ]
        with transaction.atomic():
            if calls:
                Call.objects.bulk_create(calls, batch_size=batch_size)
                Call.objects.filter(pk__in=[c.pk for c in calls]).update(created_at=F("ended_at"))
                record_event(
                    "demo.generate",
                    actor=GENERATOR_ACTOR,
                    target_type="hotline.call",
                    payload={"count": len(calls), "seed": seed, "first_index": start},
                )
        result.created += len(calls)
        result.skipped += len(existing)
        result.seconds = time.perf_counter() - started
        if progress is not None:
            progress(start + len(records), count, result.per_second)
    result.seconds = time.perf_counter() - started
    return result


# --- Accounts the generated rows name -----------------------------------------------------------

GENERATOR_USERNAME = "azad-generator"


def generator_account(organisation: Organisation) -> Any:
    """The inactive demo account that signs generated rows when no demo account fits.

    It cannot sign in (inactive, no usable password) and holds the least role.
    """
    from azad.accounts.models import User
    from azad.core.permissions import Role, Scope

    user = User.objects.filter(username=GENERATOR_USERNAME).first()
    if user is None:
        user = User(
            username=GENERATOR_USERNAME,
            first_name="Azad",
            last_name="generator",
            organisation=organisation,
            role=Role.ANALYST,
            scope=Scope.OWN,
            is_active=False,
            is_demo=True,
        )
        user.set_unusable_password()
        with transaction.atomic():
            user.save()
            record_event(
                "demo.generate",
                actor=GENERATOR_ACTOR,
                target_type="accounts.user",
                target_id=str(user.pk),
                payload={"count": 1},
            )
    return user


def case_writers(
    organisations: Mapping[str, Organisation], creators: Mapping[int, Sequence[Any]]
) -> CaseWriters:
    """The writers for generated cases: recorders among ``organisations``, ATD's accounts decide."""
    atd = organisations["atd"]
    signer = generator_account(organisations["coordinator"])
    return CaseWriters(
        recorders=Recorders.among(list(organisations.values()), creators),
        atd=atd,
        signer=signer,
        deciders=list(creators.get(atd.pk, ())),
    )


def hotline_operators(hotline: Organisation, fallback_organisation: Organisation) -> list[Any]:
    """Active hotline accounts of ``hotline`` (demo or not), or the generator account."""
    from azad.accounts.models import User
    from azad.core.permissions import Role

    operators = list(
        User.objects.filter(
            organisation=hotline, is_active=True, role__in=[Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR]
        ).order_by("username")
    )
    return operators or [generator_account(fallback_organisation)]
