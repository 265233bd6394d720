"""The form renderer writes selects, labels and error lists exactly as Django's templates do, only faster."""

from __future__ import annotations

import uuid

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from azad.accounts.models import Organisation
from azad.accounts.tests.factories import make_org
from azad.core.places import REGION_CHOICES
from azad.core.rendering import WRITTEN, FormRenderer, ListedModelChoiceField, Select, detail_urls

GROUPED = [
    ("", "—"),
    ("Cənub", [("lənkəran", "Lənkəran"), ("astara", 'Astara <& "quoted">')]),
    ("Şimal", [("quba", "Quba")]),
    ("x'y", mark_safe("<b>safe label</b>")),
]


class _Form(forms.Form):
    region = forms.ChoiceField(choices=REGION_CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, help_text="yardım")
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    flag = forms.NullBooleanField(required=False)
    off = forms.ChoiceField(choices=[("1", "bir"), ("2", "iki")], disabled=True, required=False)
    attributes = forms.ChoiceField(
        choices=[(1, "bir"), (2, "iki")],
        widget=forms.Select(attrs={"data-x": 'a"b', "autofocus": True, "hidden": False}),
    )

    # The same, with the select that writes itself from its choices (rendering.Select).
    written_region = forms.ChoiceField(choices=REGION_CHOICES, required=False, widget=Select)
    written_grouped = forms.ChoiceField(choices=GROUPED, help_text="yardım", widget=Select)
    written_falsy_group = forms.ChoiceField(
        choices=[(None, "heç biri"), ("", [("a", "A")]), (0, [(0, "sıfır"), (None, "yox")])],
        required=False,
        widget=Select,
    )
    written_twice = forms.ChoiceField(  # Django selects the first option of a value only
        choices=[("a", "A"), ("g", [("a", "A again"), ("b", "B")])], required=False, widget=Select
    )
    written_off = forms.ChoiceField(
        choices=[("1", "bir"), ("2", "iki")], disabled=True, required=False, widget=Select
    )
    written_attributes = forms.ChoiceField(
        choices=[(1, "bir"), (2, "iki")],
        widget=Select(attrs={"data-x": 'a"b', "autofocus": True, "hidden": False}),
    )
    written_many = forms.MultipleChoiceField(
        choices=GROUPED,
        required=False,
        widget=type("MultipleSelect", (Select,), {"allow_multiple_selected": True}),
    )


class _RadioForm(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"region": REGION_CHOICES[3][0], "grouped": "astara", "many": ["quba", "lənkəran"], "flag": "true"},
        {"region": "nowhere", "grouped": "<script>", "many": ["x'y"], "attributes": "2", "flag": "false"},
        {
            "written_region": REGION_CHOICES[3][0],
            "written_grouped": "astara",
            "written_falsy_group": "0",
            "written_twice": "a",
            "written_attributes": "2",
            "written_many": ["quba", "lənkəran"],
        },
        {"written_grouped": "<script>", "written_falsy_group": "None", "written_many": ["x'y"]},
    ],
)
def test_it_writes_every_select_exactly_as_djangos_templates(data):
    ours, django = FormRenderer(), DjangoTemplates()
    for name in _Form.base_fields:
        form = _Form(data) if data is not None else _Form(initial={"attributes": 2, "written_attributes": 2})
        form.renderer = django
        expected = str(form[name])
        form.renderer = ours
        assert str(form[name]) == expected, name


class _LabelledForm(forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    name = forms.CharField(label='Ad <& "soyad">', max_length=3)
    question = forms.CharField(label="Yaşı?", required=False)
    safe = forms.CharField(label=mark_safe("<b>Qalın</b>"), required=False, label_suffix=" →")
    empty = forms.CharField(label="", required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    region = forms.ChoiceField(choices=REGION_CHOICES, required=False)

    def clean(self):
        raise ValidationError([mark_safe("<i>Bütövlükdə</i> səhv"), 'Yanlış <& "dəyər">'])


def _both(render):
    """What ``render(renderer)`` gives with Django's templates, then with ours."""
    return render(DjangoTemplates()), render(FormRenderer())


@pytest.mark.parametrize("data", [None, {}, {"name": "uzun <ad>", "choice": "z", "region": "nowhere"}])
@pytest.mark.parametrize("auto_id", ["id_%s", "x-%s", False])
def test_it_writes_labels_and_error_lists_exactly_as_djangos_templates(data, auto_id):
    def whole(renderer):
        form = _LabelledForm(data, auto_id=auto_id, renderer=renderer)
        parts = [form.as_div(), form.as_p(), form.as_table(), form.as_ul(), str(form.non_field_errors())]
        for field in form:
            parts += [field.label_tag(), field.legend_tag(), str(field.errors), field.errors.as_ul()]
            parts.append(
                field.label_tag(attrs={"class": "x", "data-y": 'a"b', "hidden": True}, label_suffix=":")
            )
        return parts

    django, ours = _both(whole)
    assert ours == django
    if data:
        assert any('class="errorlist"' in part for part in ours)  # error lists were written


def test_it_writes_an_error_list_with_a_field_id_and_without():
    from django.forms.utils import ErrorList

    for field_id in (None, "id_name", 'a"b'):
        django, ours = _both(
            lambda renderer, field_id=field_id: str(
                ErrorList(
                    ["bir", mark_safe("<b>iki</b>"), "<üç>"],
                    error_class="nonfield",
                    renderer=renderer,
                    field_id=field_id,
                )
            )
        )
        assert ours == django
    assert _both(lambda renderer: str(ErrorList(renderer=renderer))) == ("", "")


def test_the_project_overrides_none_of_the_templates_it_writes():
    """An override would be ignored: the renderer writes Django's own markup for these."""
    from pathlib import Path

    import django

    renderer = FormRenderer()
    forms_templates = Path(django.__file__).parent / "forms" / "templates"
    for name in WRITTEN:
        origin = Path(renderer.get_template(name).origin.name)
        assert origin.is_relative_to(forms_templates), f"{name} is overridden by {origin}"


def test_it_leaves_other_widgets_to_django():
    form = _RadioForm({"choice": "b"})
    form.renderer = DjangoTemplates()
    expected = str(form["choice"])
    form.renderer = FormRenderer()
    assert str(form["choice"]) == expected
    assert 'value="b"' in expected and "checked" in expected


def test_it_is_the_projects_form_renderer(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()


@pytest.mark.parametrize("view_name", ["cases:case_detail", "persons:person_detail"])
def test_its_detail_urls_are_what_reverse_gives(view_name):
    url = detail_urls(view_name)
    for pk in (uuid.uuid4(), uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)):
        assert url(pk) == reverse(view_name, kwargs={"pk": pk})


@pytest.mark.django_db
def test_its_listed_model_choices_are_djangos_without_a_cursor(django_assert_num_queries):
    for name in ("Bakı", "Gəncə", "Şəki"):
        make_org(name=name)
    queryset = Organisation.objects.order_by("name")
    listed, django = ListedModelChoiceField(queryset=queryset), forms.ModelChoiceField(queryset=queryset)
    with django_assert_num_queries(1):
        choices = [(str(value), label) for value, label in listed.choices]
    assert choices == [(str(value), label) for value, label in django.choices]
    assert len(choices) == 4  # the empty choice and three organisations


@pytest.mark.django_db
def test_its_listed_model_choices_reuse_a_queryset_read_already(django_assert_num_queries):
    """A view that read the field's organisations (the case list names owners) adds no query."""
    for name in ("Bakı", "Gəncə"):
        make_org(name=name)
    field = ListedModelChoiceField(queryset=Organisation.objects.order_by("name"), widget=Select)
    read = list(field.queryset)
    with django_assert_num_queries(0):
        written = field.widget.render("organisation", read[1].pk, renderer=FormRenderer())
        assert [value for value, _label in field.choices][1:] == [org.pk for org in read]
    expected = forms.Select(choices=field.choices).render(
        "organisation", read[1].pk, renderer=DjangoTemplates()
    )
    assert written == expected
    assert f'<option value="{read[1].pk}" selected>' in written
