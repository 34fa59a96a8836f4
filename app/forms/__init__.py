"""Form schemas, one per ``camunda:formKey``, and the registry that finds them."""

from __future__ import annotations

from app.forms.registry import FORMS, form_keys, get_form, readable_fields

__all__ = ["FORMS", "form_keys", "get_form", "readable_fields"]
