import json
from collections import Counter

import pytest

from azad.accounts.models import Organisation
from azad.audit.models import AuditEvent
from azad.core.permissions import Role, Scope
from azad.demo import generator
from azad.persons.access import find_persons
from azad.persons.models import Person
from azad.persons.tests.factories import make_user


def _fields(record):
    return dict(vars(record))


def test_it_generates_the_same_persons_for_the_same_seed():
    first = [_fields(r) for r in generator.person_records(50, seed=5)]
    again = [_fields(r) for r in generator.person_records(50, seed=5)]
    other = [_fields(r) for r in generator.person_records(50, seed=6)]
    assert first == again
    assert first != other
    assert len({r["id"] for r in first} & {r["id"] for r in other}) == 0


def test_it_gives_each_person_the_same_record_whatever_the_run_size():
    assert generator.person_record(9, 30) == list(generator.person_records(40, seed=9))[30]
    assert next(generator.person_records(5, seed=9, start=30)) == generator.person_record(9, 30)


@pytest.fixture(scope="module")
def sample():
    return list(generator.person_records(2000, seed=2024))


def test_it_makes_about_94_percent_women_trafficked_for_sexual_exploitation(sample):
    share = sum(r.gender != "Masculine" and r.exploitation == "SexualExploitation" for r in sample) / len(
        sample
    )
    assert 0.90 <= share <= 0.97


def test_it_makes_men_mostly_victims_of_forced_labour(sample):
    men = [r for r in sample if r.gender == "Masculine"]
    adult_men = [r for r in men if (r.age() or 0) >= 18]
    assert 0.02 <= len(men) / len(sample) <= 0.07
    assert Counter(r.exploitation for r in adult_men).most_common(1)[0][0] == "ForcedLabour"
    assert sum(r.exploitation == "ForcedLabour" for r in adult_men) / len(adult_men) >= 0.6


def test_it_makes_adults_mostly_18_to_38_with_some_children_and_unknown_ages(sample):
    ages = [r.age() for r in sample]
    adults = [a for a in ages if a is not None and a >= 18]
    assert sum(18 <= a <= 38 for a in adults) / len(adults) >= 0.8
    assert 0.03 <= sum(a is not None and a < 18 for a in ages) / len(ages) <= 0.10
    assert 0.005 <= sum(a is None for a in ages) / len(ages) <= 0.05


def test_it_makes_citizens_of_azerbaijan_mostly_with_foreigners_from_the_region(sample):
    citizenship = Counter(r.citizenship for r in sample)
    assert 0.80 <= citizenship["AZ"] / len(sample) <= 0.92
    assert {"UZ", "TM", "RU", "GE"} <= set(citizenship)
    destinations = Counter(r.exploitation_country for r in sample if r.citizenship == "AZ")
    assert [country for country, _n in destinations.most_common(2)] == ["TR", "AE"]


def test_it_gives_azerbaijani_patronymics_and_female_surname_forms(sample):
    women = [r for r in sample if r.citizenship == "AZ" and r.gender == "Feminine"]
    assert all(r.middle_name.endswith(" qızı") for r in women)
    assert sum(r.last_name.endswith(("ova", "eva", "yeva")) for r in women) / len(women) >= 0.8


@pytest.mark.django_db
def test_it_generates_only_persons_the_model_accepts(sample):
    org = Organisation.objects.create(name="Yoxlama", org_type="PoliceATD")
    recorders = generator.Recorders.among([org])
    for record in sample[:400]:
        generator.build_person(record, recorders).full_clean(validate_unique=False)


@pytest.fixture
def recorders(db):
    organisations, _created = generator.ensure_organisations(
        [*generator.NATIONAL_ORGANISATIONS, generator.ngo_spec(0), generator.ngo_spec(1)]
    )
    return generator.Recorders.among(list(organisations.values()))


@pytest.mark.django_db
def test_it_writes_in_batches_with_one_count_only_audit_event_and_progress_each(recorders):
    calls = []
    result = generator.generate_persons(
        250, seed=3, recorders=recorders, batch_size=100, progress=lambda *a: calls.append(a[:2])
    )
    assert (result.created, result.skipped) == (250, 0)
    assert Person.objects.count() == 250
    assert calls == [(100, 250), (200, 250), (250, 250)]
    events = AuditEvent.objects.filter(action="demo.generate").order_by("seq")
    assert [e.payload["count"] for e in events] == [100, 100, 50]
    assert set(events[0].payload) == {"count", "seed", "first_index"}


@pytest.mark.django_db
def test_it_adds_nothing_when_run_again_with_the_same_seed(recorders):
    generator.generate_persons(120, seed=4, recorders=recorders, batch_size=50)
    again = generator.generate_persons(150, seed=4, recorders=recorders, batch_size=50)
    assert (again.created, again.skipped) == (30, 120)
    assert Person.objects.count() == 150


@pytest.mark.django_db
def test_it_spreads_persons_over_the_recording_organisations(recorders):
    generator.generate_persons(400, seed=8, recorders=recorders)
    by_type = Counter(Person.objects.values_list("organisation__org_type", flat=True))
    assert by_type.most_common(1)[0][0] == "PoliceATD"
    assert {"Hotline", "AssistanceCentre", "NGO", "ImmigrationService"} <= set(by_type)
    assert "Ministry" not in by_type and "Court" not in by_type


@pytest.mark.django_db
def test_it_stores_generated_persons_encrypted_and_findable_by_their_hashes(recorders):
    generator.generate_persons(60, seed=11, recorders=recorders)
    record = next(r for r in generator.person_records(60, seed=11) if r.document_number)
    investigator = make_user(Role.POLICE_SUPERVISOR, scope=Scope.NATIONAL)
    assert record.id in set(find_persons(investigator, name=record.last_name).values_list("pk", flat=True))
    assert list(find_persons(investigator, document=record.document_number.lower())) == [
        Person.objects.get(pk=record.id)
    ]
    stored = Person.objects.get(pk=record.id)
    assert (stored.first_name, stored.birth_year) == (record.first_name, record.birth_year)


@pytest.mark.django_db
def test_it_keeps_personal_values_out_of_its_audit_events(recorders):
    generator.generate_persons(30, seed=12, recorders=recorders)
    payloads = json.dumps([e.payload for e in AuditEvent.objects.all()], ensure_ascii=False)
    for record in generator.person_records(30, seed=12):
        assert record.last_name not in payloads
        assert str(record.id) not in payloads


def test_it_names_fictional_ngos_uniquely_and_the_same_on_every_run():
    names = [generator.ngo_spec(i).name for i in range(300)]
    assert len(set(names)) == 300
    assert generator.ngo_spec(7) == generator.ngo_spec(7)
    assert not any("Təmiz Dünya" in name for name in names)
