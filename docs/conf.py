"""Sphinx configuration: MyST Markdown pages, autodoc for the API, doctests of every example."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "hooksig"
author = "The hooksig developers"
copyright = "2026, the hooksig developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "hooksig"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

# -n (nitpicky) checks every cross-reference; standard-library and typing
# targets have no inventory offline, so they are the only ones excused.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(collections\.abc|typing|typing_extensions|types|datetime|pathlib)\..*"),
    (r"py:.*", r"(Mapping|Sequence|Iterable|Iterator|Callable|Literal|Any|TextIO|NoReturn)"),
    (r"py:.*", r"(str|bytes|int|float|bool|object|dict|list|tuple|frozenset|None|Exception)"),
    (r"py:.*", r"(ValueError|ImportError|UserWarning|TypeError|ModuleType|Union|Self)"),
    (r"py:.*", r"hooksig\._.*"),
    (r"py:.*", r"hooksig\.(.+\.)?_[^.]+(\..*)?"),
    (r"py:.*", r"TimeoutSetting"),
    (r"py:.*", r"(Clock|SecretLike|SecretFormat|KeyFormat|Encoding|Algorithm|HeadersInput)"),
    (r"py:.*", r"(SignatureFormat|ContentBuilder|HeaderName|Candidate|Key|Pieces)"),
    (r"py:.*", r"(Construction|UrlVariants|Handshake|EcdsaEncoding|ClaimState|Environ)"),
    (r"py:.*", r"(DeliveryLike|BodyShape|KeyKind|EvidenceKind|IdReader|Content|CompiledRoute)"),
    (r"py:.*", r"(Decoder|Split|HashState)"),
    (r"py:.*", r"(Unset|OnOutcome|Handler)"),
    (r"py:.*", r"(Fetch|AsyncFetch|Loader|KeyMode|LEEWAY)"),
    (r"py:.*", r"(urllib|ssl)\..*"),
    (r"py:.*", r"hooksig\.scheme\.(jwt|units)\.Parsed.*"),
    (r"py:.*", r"(T|View|Flask|hooksig\.integrations\._endpoint\.T)"),
    (r"py:.*", r"(WSGIApp|ASGIApp|StartResponse|Scope|Receive|Send|Message|ExcInfo|os\..*)"),
    (r"py:.*", r"(flask|django|fastapi|starlette|redis|psycopg|psycopg_pool)\..*"),
    (r"py:.*", r"(hypothesis|_pytest)\..*"),
    (r"py:.*", r"(ipaddress\..*|IPAddress|IPNetwork|Redis|Connection|ConnectionPool|Outcome)"),
]
