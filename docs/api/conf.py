"""Sphinx configuration of the API reference: ``sphinx-build -W -b html docs/api OUT``."""

from __future__ import annotations

import stepgate

project = "stepgate"
author = "the stepgate developers"
copyright = "the stepgate developers"  # noqa: A001 - Sphinx reads this name
release = stepgate.__version__
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_class_signature = "separated"
add_module_names = False
default_role = "literal"
html_theme = "alabaster"
html_title = f"stepgate {release} — API reference"
exclude_patterns = ["_build"]
language = "en"
