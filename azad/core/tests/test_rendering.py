"""The form renderer writes <select> exactly as Django's templates do, only faster."""

from __future__ import annotations

import uuid

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from azad.accounts.models import Organisation
from azad.accounts.tests.factories import make_org
from azad.core.places import REGION_CHOICES
from azad.core.rendering import FormRenderer, ListedModelChoiceField, detail_urls

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


class _RadioForm(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"region": REGION_CHOICES[3][0], "grouped": "astara", "many": ["quba", "lənkəran"], "flag": "true"},
        {"region": "nowhere", "grouped": "<script>", "many": ["x'y"], "attributes": "2", "flag": "false"},
    ],
)
def test_it_writes_every_select_exactly_as_djangos_templates(data):
    ours, django = FormRenderer(), DjangoTemplates()
    for name in _Form.base_fields:
        form = _Form(data) if data is not None else _Form(initial={"attributes": 2})
        form.renderer = django
        expected = str(form[name])
        form.renderer = ours
        assert str(form[name]) == expected, name


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
