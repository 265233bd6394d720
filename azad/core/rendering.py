"""The form renderer: Django's, with ``<select>``, labels and error lists written in Python.

Django renders every ``<option>`` through two templates (the option and its
attributes). The filter bars of the list pages carry the regions, the
organisations, the stages and the statuses — a few hundred options — and those
templates cost a case list about 10 ms of its 25 ms of rendering. Each field's
``<label>`` and its (usually empty) error list are two more templates, with an
include each: another 0.7 ms for a filter bar of six fields. This renderer writes
the same markup directly (a test compares it with Django's templates, byte for
byte, and checks that the project overrides none of them); any other template,
and a select whose options use another template, is rendered by Django as before.

Also here: :class:`Select`, which writes itself from its choices without Django's
per-option dictionaries (the case filter bar uses it); ``escape_html``, the escaping
the rows of the lists use; the model choices of a filter bar read with one query;
``detail_urls`` for a list's links.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERRORS_TEMPLATES = ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
# What this renderer writes itself, with the templates those include.
WRITTEN = (SELECT_TEMPLATE, OPTION_TEMPLATE, LABEL_TEMPLATE, *ERRORS_TEMPLATES, "django/forms/attrs.html")


def escape_html(value: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-argument wrapper (a few hundred calls a page)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = escape_html(name)
        parts.append(f" {name}" if value is True else f' {name}="{escape_html(value)}"')
    return "".join(parts)


def _option(value: Any, attrs: str, label: Any) -> str:
    """One option as ``select_option.html`` writes it (with the newline that ends the file)."""
    return f'\n  <option value="{escape_html(value)}"{attrs}>{escape_html(label)}</option>\n'


def _select(name: Any, attrs: str, groups: Iterable[tuple[Any, list[str]]]) -> SafeString:
    """``select.html``: ``groups`` are (a group's name, its options' markup); no name, no ``<optgroup>``."""
    out = [f'<select name="{escape_html(name)}"{attrs}>']
    for group_name, options in groups:
        if group_name:
            out.append(f'\n  <optgroup label="{escape_html(group_name)}">')
        out.extend(options)
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # every value is escaped


def render_select(widget: dict[str, Any]) -> SafeString | None:
    """The markup of ``select.html`` for a widget context, or ``None`` if an option has its own template."""
    optgroups = widget["optgroups"]
    if any(
        option["template_name"] != OPTION_TEMPLATE
        for _name, options, _index in optgroups
        for option in options
    ):
        return None
    return _select(
        widget["name"],
        _attrs(widget["attrs"]),
        (
            (
                group_name,
                [_option(option["value"], _attrs(option["attrs"]), option["label"]) for option in options],
            )
            for group_name, options, _index in optgroups
        ),
    )


def render_label(context: dict[str, Any]) -> SafeString:
    """The markup of ``label.html`` (and the ``attrs.html`` it includes) for a label's context."""
    label = escape_html(context["label"])
    if not context["use_tag"]:
        return mark_safe(str(label))  # every value is escaped
    tag = escape_html(context["tag"])
    return mark_safe(f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>")  # every value is escaped


def render_errors(context: dict[str, Any]) -> SafeString:
    """The markup of ``errors/list/ul.html`` (which ``default.html`` includes): empty without errors."""
    errors = context["errors"]
    if not errors:
        return mark_safe("")
    field_id = getattr(errors, "field_id", None)
    id_attr = f' id="{escape_html(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{escape_html(error)}</li>" for error in errors)
    return mark_safe(f'<ul class="{escape_html(context["error_class"])}"{id_attr}>{items}</ul>')


class FormRenderer(DjangoTemplates):
    """Django's template renderer; selects, labels and error lists are written without templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            markup = render_select(context["widget"])
            if markup is not None:
                return markup
        elif template_name == LABEL_TEMPLATE:
            return render_label(context)
        elif template_name in ERRORS_TEMPLATES:
            return render_errors(context)
        return super().render(template_name, context, request)


class Select(forms.Select):
    """Django's ``<select>``, written straight from its choices when :class:`FormRenderer` renders it.

    Django first builds a dictionary per option (``optgroups``) for the option template, which
    this renderer does not use; a filter bar's few hundred options cost the case list about half
    a millisecond that way. The markup is the same (a test compares it with Django's templates
    byte for byte); a multiple select, other templates or another renderer go Django's way.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if (
            self.allow_multiple_selected
            or self.template_name != SELECT_TEMPLATE
            or self.option_template_name != OPTION_TEMPLATE
            or not isinstance(renderer or get_default_renderer(), FormRenderer)
        ):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        groups = []
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            # As ``optgroups``: a group's name is its value, a single option has none.
            group = isinstance(option_label, (list, tuple))
            options = []
            for subvalue, sublabel in option_label if group else [(option_value, option_label)]:
                selected = not has_selected and str(subvalue) in values
                has_selected |= selected
                options.append(_option(subvalue, " selected" if selected else "", sublabel))
            groups.append((option_value if group else None, options))
        return _select(name, _attrs(self.build_attrs(self.attrs, attrs)), groups)


class ListedChoiceIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """The choices read with one ordinary query, or none if the field's queryset was read already.

    Django reads a model choice field's options with ``QuerySet.iterator()``, which on
    PostgreSQL opens a server-side cursor (three round trips) for a list that is a few
    dozen organisations long in a filter bar. A view that needs the same rows (the case list
    names the cases' owners) reads the field's ``queryset`` and the options reuse it.
    """

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        for obj in queryset if queryset._result_cache is not None else queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter bar's choice of a row of a short table (organisations), read with one query."""

    field_class = ListedModelChoiceField


_PLACEHOLDER = str(uuid.UUID(int=0))


def detail_urls(view_name: str) -> Callable[[Any], str]:
    """``pk -> URL`` for a view taking one ``<uuid:pk>``, reversed once for a whole list.

    ``reverse`` walks the URL resolver on every call; a page of 50 rows needs one pattern.
    """
    pattern = reverse(view_name, kwargs={"pk": _PLACEHOLDER})
    head, _sep, tail = pattern.partition(_PLACEHOLDER)
    return lambda pk: f"{head}{pk}{tail}"
