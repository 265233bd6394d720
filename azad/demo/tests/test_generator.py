import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from azad.accounts.models import Organisation
from azad.accounts.tests.factories import make_user as make_account
from azad.audit.models import AuditEvent
from azad.cases import access as case_access
from azad.cases.choices import END_STAGES, ControlMethod, ExploitationType, Stage
from azad.cases.models import Case, HistoricEvent, Referral
from azad.core.permissions import Role, Scope
from azad.core.places import COUNTRY_NAMES
from azad.demo import generator
from azad.hotline.models import Call
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


# --- Cases and hotline calls at scale ---------------------------------------------------------------

_STATUS_BY_DECISION = {
    "identified": "ActualVictimOfTrafficking",
    "not_identified": "NotAVictimOfTrafficking",
}


def test_it_generates_the_same_cases_for_the_same_seed_whatever_the_run_size():
    first = [_fields(r) for r in generator.case_records(40, seed=5, persons=30)]
    assert first == [_fields(r) for r in generator.case_records(40, seed=5, persons=30)]
    assert first != [_fields(r) for r in generator.case_records(40, seed=6, persons=30)]
    assert generator.case_record(5, 33, 30) == list(generator.case_records(40, seed=5, persons=30))[33]
    # Case i belongs to person i mod persons: the 31st case is the first person's second.
    assert generator.case_record(5, 30, 30).person == generator.person_record(5, 0)
    assert generator.case_record(5, 10, 30).person.id == generator.person_record(5, 10).id


@pytest.fixture(scope="module")
def case_sample():
    return list(generator.case_records(3000, seed=2024, persons=3000))


def test_it_gives_every_case_a_path_whose_times_agree_with_its_stage(case_sample):
    for record in case_sample:
        times = [when for _stage, when in record.path]
        assert times == sorted(times)
        assert times[0] >= generator.CASES_FROM and times[-1] <= generator.CASES_UNTIL
        stages = [stage for stage, _when in record.path]
        assert stages[0] == "presumed" and record.stage in Stage.values
        assert all(stage not in END_STAGES for stage in stages[:-1])
        decided = [s for s in stages if s in _STATUS_BY_DECISION]
        expected = _STATUS_BY_DECISION[decided[0]] if decided else "PossibleVictimOfTrafficking"
        assert record.trafficking_status == expected
        assert bool(record.closure_reason) == (record.stage == "closed")
        assert bool(record.withdrawal_reason) == (record.stage == "withdrawn")
        assert bool(record.transferred_to_country) == (record.stage == "transferred")
        if record.allowance_paid_at is not None:
            assert "assistance" in stages and record.reached("assistance") <= record.allowance_paid_at
            assert record.allowance_paid_at <= record.path[-1][1] or record.stage not in END_STAGES
        if record.child_notified_at is not None:
            assert record.is_child and record.child_notified_at <= record.reached("referred_to_atd")


def test_it_spreads_cases_like_the_mechanism_sees_them(case_sample):
    total = len(case_sample)
    identified = sum(r.trafficking_status == "ActualVictimOfTrafficking" for r in case_sample)
    assert 0.25 <= identified / total <= 0.42  # about a third identified
    assert 0.05 <= sum(r.is_child for r in case_sample) / total <= 0.10
    assert {r.stage for r in case_sample} == set(Stage.values)
    years = Counter(r.path[0][1].year for r in case_sample)
    assert set(years) == set(range(2019, 2027)) and years[2025] > years[2019]
    assert all(set(r.exploitation_types) <= set(ExploitationType.values) for r in case_sample)
    assert all(r.control_methods and set(r.control_methods) <= set(ControlMethod.values) for r in case_sample)
    countries = Counter(c for r in case_sample for t, c, _p, _d in r.historic_events if t == "Exploitation")
    assert set(countries) <= set(COUNTRY_NAMES) and {"TR", "AE", "RU", "AZ"} <= set(countries)


@pytest.fixture
def writers(db):
    organisations, _created = generator.ensure_organisations(
        [*generator.NATIONAL_ORGANISATIONS, generator.ngo_spec(0), generator.ngo_spec(1)]
    )
    return organisations, generator.case_writers(organisations, {})


@pytest.mark.django_db
def test_it_writes_cases_with_their_referrals_and_history_in_batches(writers):
    organisations, case_writers = writers
    generator.generate_persons(120, seed=3, recorders=case_writers.recorders, batch_size=100)
    progress = []
    result = generator.generate_cases(
        150,
        seed=3,
        persons=120,
        writers=case_writers,
        batch_size=60,
        progress=lambda *a: progress.append(a[:2]),
    )
    assert (result.created, result.skipped) == (150, 0)
    assert progress == [(60, 150), (120, 150), (150, 150)]
    assert Case.objects.count() == 150 and Case.objects.values("person").distinct().count() == 120
    events = AuditEvent.objects.filter(action="demo.generate", target_type="cases.case").order_by("seq")
    assert [e.payload["count"] for e in events] == [60, 60, 30]
    assert sum(e.payload["referrals"] for e in events) == Referral.objects.count()
    assert sum(e.payload["historic_events"] for e in events) == HistoricEvent.objects.count()

    atd = organisations["atd"]
    for case in Case.objects.select_related("owner_organisation"):
        assert case.created_at == case.first_contact_at
        assert case.stage_changed_at >= case.first_contact_at
        if case.stage != Stage.PRESUMED and case.stage != Stage.WITHDRAWN:
            assert case.referred_to_atd_at is not None and case.referred_to_atd_at >= case.first_contact_at
        if case.reflection_started_at is not None:
            assert case.reflection_started_at >= case.referred_to_atd_at
        if case.status_decided_at is not None:
            assert case.status_decision_organisation_id == atd.pk
            assert case.status_decided_at >= case.referred_to_atd_at
        assert (case.ended_at is not None) == (case.stage in END_STAGES)
        assert (
            case.status_decision_basis == "" and case.end_note == ""
        )  # sealed and opened with the row's key
        referral = case.referrals.first()
        if case.referred_to_atd_at is None or case.owner_organisation_id == atd.pk:
            assert referral is None
        else:
            assert (referral.to_organisation_id, referral.sent_at) == (atd.pk, case.referred_to_atd_at)


@pytest.mark.django_db
def test_it_generates_cases_the_model_accepts_and_atd_sees_the_ones_referred_to_it(writers):
    organisations, case_writers = writers
    generator.generate_persons(80, seed=13, recorders=case_writers.recorders)
    generator.generate_cases(80, seed=13, persons=80, writers=case_writers)
    for case in Case.objects.all():
        case.full_clean(validate_unique=False)
    atd = organisations["atd"]
    investigator = make_account(Role.POLICE_INVESTIGATOR, atd, scope=Scope.ORGANISATION)
    expected = (
        Case.objects.filter(owner_organisation=atd).count()
        + Referral.objects.filter(to_organisation=atd)
        .exclude(case__owner_organisation=atd)
        .values("case")
        .distinct()
        .count()
    )
    assert case_access.visible_cases(investigator).count() == expected > 0


@pytest.mark.django_db
def test_it_adds_no_case_or_call_when_run_again(writers):
    organisations, case_writers = writers
    generator.generate_persons(30, seed=4, recorders=case_writers.recorders)
    generator.generate_cases(30, seed=4, persons=30, writers=case_writers)
    again = generator.generate_cases(40, seed=4, persons=30, writers=case_writers)
    assert (again.created, again.skipped) == (10, 30)
    operators = generator.hotline_operators(organisations["hotline"], organisations["coordinator"])
    generator.generate_calls(50, seed=4, hotline=organisations["hotline"], operators=operators)
    calls = generator.generate_calls(50, seed=4, hotline=organisations["hotline"], operators=operators)
    assert (calls.created, calls.skipped, Call.objects.count()) == (0, 50, 50)


def test_it_generates_the_same_calls_for_the_same_seed_spread_over_office_hours():
    calls = [generator.call_record(7, i) for i in range(3000)]
    assert calls[:20] == [generator.call_record(7, i) for i in range(20)]
    assert calls[0] != generator.call_record(8, 0)
    baku_hours = Counter((c.started_at + generator.BAKU_OFFSET).hour for c in calls)
    assert sum(baku_hours[h] for h in range(9, 18)) / len(calls) > 0.5
    assert baku_hours[3] < baku_hours[11] / 5
    reasons = Counter(c.reason for c in calls)
    assert reasons.most_common(1)[0][0] == "safe_migration_advice"
    assert all(c.ended_at > c.started_at for c in calls)
    assert all(bool(c.region) != bool(c.country) for c in calls)
    assert 0 < sum(c.urgency == "immediate_danger" for c in calls) / len(calls) < 0.03


@pytest.mark.django_db
def test_it_writes_calls_encrypted_with_the_referral_flag_from_their_actions(writers):
    organisations, _case_writers = writers
    hotline = organisations["hotline"]
    operator = make_account(Role.HOTLINE_OPERATOR, hotline, scope=Scope.OWN)
    result = generator.generate_calls(120, seed=9, hotline=hotline, operators=[operator], batch_size=50)
    assert result.created == 120 == Call.objects.filter(organisation=hotline, operator=operator).count()
    for call in Call.objects.all():
        assert call.referred == any(a in ("referred_to_atd", "referred_to_service") for a in call.actions)
        assert call.summary and call.caller_name == "" and call.created_at == call.ended_at
    events = AuditEvent.objects.filter(action="demo.generate", target_type="hotline.call")
    assert [e.payload["count"] for e in events.order_by("seq")] == [50, 50, 20]


@pytest.mark.django_db
def test_it_generates_persons_cases_and_calls_from_the_command():
    call_command("generate", persons=40, cases="1.5x", calls=25, seed=1)
    assert (Person.objects.count(), Case.objects.count(), Call.objects.count()) == (40, 60, 25)
    with pytest.raises(CommandError):
        call_command("generate", persons=10, cases="many", seed=1)
    with pytest.raises(CommandError):
        call_command("generate", persons=10, calls=-1, seed=1)
