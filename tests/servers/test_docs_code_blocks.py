"""
Every Python code block in docs/ and README.md runs as written.

The blocks of a page run in order in one fresh interpreter, as a notebook
would (a later block may use what an earlier one defined), in a temporary
directory (the generated provider pages share one interpreter, each in a
namespace of its own); and no name in them is undefined (ruff's F821 over the page's
blocks), so an example that forgets ``import os`` or calls a function it
never defines fails here even inside a function body.  A block that
cannot run as written carries a ``not runnable`` mark with its reason
(``tests/docs/blocks.py``).

The fixtures a reader would have are in the environment: for every
registered scheme ``<NAME>_WEBHOOK_SECRET`` (and ``<NAME>_PUBLIC_KEY`` for
public-key schemes) in that scheme's own format, the names in :data:`EXTRA`,
``REDIS_URL`` (also as ``HOOKSIG_REDIS_URL``) and ``DATABASE_URL`` for the
test servers, and a Django
settings module (``DJANGO_SETTINGS_MODULE=docs_settings``).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from hooksig import schemes
from hooksig.testing import TEST_SECRET
from tests.cli.keys import cli_keys
from tests.docs.blocks import PAGES, ROOT, BadMark, Block, as_module, blocks
from tests.servers.support import POSTGRES_DSN, REDIS_URL

RUNNER = ROOT / "tests" / "docs" / "run_page.py"
#: Environment variables the guides use besides the per-scheme ones.
EXTRA = {
    "WEBHOOK_SECRET": "whsec_" + base64.b64encode(TEST_SECRET.encode()).decode(),
    "SLACK_SIGNING_SECRET": TEST_SECRET,
    "BOX_PRIMARY_KEY": TEST_SECRET,
    "BOX_SECONDARY_KEY": TEST_SECRET[::-1],
}
#: The settings module of a Django project, for pages that show Django code.
DJANGO_SETTINGS = f"""
SECRET_KEY = "docs-check-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["testserver", "localhost"]
ROOT_URLCONF = "docs_settings"
urlpatterns = []
INSTALLED_APPS = []
SHOPIFY_WEBHOOK_SECRET = {TEST_SECRET!r}
GITHUB_WEBHOOK_SECRET = {TEST_SECRET!r}
"""


def _public_pem(private_pem: str) -> str:
    """The public half of a PKCS #8 private key, as SubjectPublicKeyInfo PEM."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private_pem.encode(), None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _scheme_keys() -> dict[str, str]:
    """``<NAME>_WEBHOOK_SECRET`` (or ``_PUBLIC_KEY``) for every registered scheme name."""
    found: dict[str, str] = {}
    for name in schemes.names():
        prefix = name.upper().replace("-", "_")
        keys = cli_keys(name)
        if keys.public_key is None:
            found[f"{prefix}_WEBHOOK_SECRET"] = keys.secret
            if keys.secret.startswith("-----BEGIN PRIVATE KEY-----"):
                # A scheme that verifies with the public half (Paddle Classic's vendor key).
                found[f"{prefix}_PUBLIC_KEY"] = _public_pem(keys.secret)
        else:
            found[f"{prefix}_PUBLIC_KEY"] = keys.public_key
            found[f"{prefix}_SIGNING_KEY"] = keys.secret
    return found


def environment(directory: Path) -> dict[str, str]:
    """The environment a page runs in, with its fixtures written into *directory*."""
    (directory / "docs_settings.py").write_text(DJANGO_SETTINGS, "utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("HOOKSIG_")}
    env.update(_scheme_keys())
    env.update(EXTRA)
    env.update(
        REDIS_URL=REDIS_URL,
        HOOKSIG_REDIS_URL=REDIS_URL,
        DATABASE_URL=POSTGRES_DSN,
        DJANGO_SETTINGS_MODULE="docs_settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


#: The provider pages docs/_gen_providers.py writes, one per scheme, all of one shape.
GENERATED = "docs/providers/"


def runnable_pages() -> list[str]:
    """The pages with at least one Python block to run."""
    return [page for page in PAGES if any(b.not_runnable is None for b in blocks(page))]


def undefined_names(pages: list[list[Block]], directory: Path) -> list[str]:
    """ruff's F821 findings over each page's runnable blocks, as ``path:line: message``."""
    modules = directory / "pages"
    modules.mkdir()
    for number, page in enumerate(pages):
        (modules / f"page_{number}.py").write_text(as_module(page), "utf-8")
    result = subprocess.run(
        [
            sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
            "--select", "F821", "--output-format", "json", str(modules),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    findings = json.loads(result.stdout or "[]")
    return [
        f"{pages[int(Path(f['filename']).stem[5:])][0].path}:{f['location']['row']}: {f['message']}"
        for f in findings
    ]


def run_pages(pages: list[str], directory: Path) -> None:
    """Check the names of *pages*, then run them in one fresh interpreter, each on its own."""
    found = [blocks(page) for page in pages]
    assert undefined_names(found, directory) == []
    runnable = [
        [asdict(b) | {"path": str(ROOT / b.path)} for b in page if b.not_runnable is None]
        for page in found
    ]
    result = subprocess.run(
        [sys.executable, "-W", "error", str(RUNNER)],
        input=json.dumps(runnable),
        cwd=directory,
        env=environment(directory),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.mark.parametrize(
    "page", [page for page in runnable_pages() if not page.startswith(GENERATED)]
)
def test_page_runs_as_written(page: str, tmp_path: Path) -> None:
    """The page's Python blocks define every name they use, and run in order without error."""
    run_pages([page], tmp_path)


def test_every_provider_page_runs_as_written(tmp_path: Path) -> None:
    """
    The same for every generated provider page, in one interpreter: each page in a
    namespace of its own (an interpreter start per page was a third of this module's time).
    """
    pages = [page for page in runnable_pages() if page.startswith(GENERATED)]
    # One page per scheme, aliases on their scheme's page: none is left out.
    schemes_named = {schemes.get(name).name for name in schemes.names()}
    assert {page.removeprefix(GENERATED).removesuffix(".md") for page in pages} == schemes_named
    run_pages(pages, tmp_path)


def test_every_page_is_read() -> None:
    """The checker reads the README and every page of docs/, the generated provider pages too."""
    assert "README.md" in PAGES
    assert {"docs/testing.md", "docs/cli.md", "docs/providers/stripe.md"} <= set(PAGES)
    assert all(page.endswith(".md") and "_build" not in page for page in PAGES)


def test_few_blocks_are_excused() -> None:
    """Blocks marked not runnable stay rare: at most one in ten."""
    found = [block for page in PAGES for block in blocks(page)]
    excused = [block for block in found if block.not_runnable is not None]
    assert len(excused) * 10 <= len(found), [f"{b.path}:{b.line}" for b in excused]


# --- the parser -----------------------------------------------------------------------------------

PAGE = """\
# A page

```python
x = 1
```

- a list item with a block:

  ```py
  y = x + 1
  ```

```{doctest}
>>> 1
1
```

````markdown
```python
not collected: inside another fence
```
````

<!-- not runnable: shown inside the sentence above -->
```python
z = undefined
```

```{code-block} python
w = y
```
"""


def test_blocks_are_found_in_order_with_their_lines() -> None:
    """Python fences (indented, MyST code-block too) are found; doctest and nested ones are not."""
    found = blocks("page.md", PAGE)
    assert [(b.line, b.source, b.not_runnable) for b in found] == [
        (4, "x = 1\n", None),
        (10, "y = x + 1\n", None),
        (26, "z = undefined\n", "shown inside the sentence above"),
        (30, "w = y\n", None),
    ]
    module = as_module(found).splitlines()
    assert (module[3], module[9], module[29]) == ("x = 1", "y = x + 1", "w = y")
    assert "z = undefined" not in module


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- not runnable: -->\n```python\nx\n```\n", "needs a reason"),
        ("<!-- not runnable -->\n```python\nx\n```\n", "needs a reason"),
        ("<!-- not runnable: why -->\nSome prose.\n```python\nx\n```\n", "no Python block"),
        ("<!-- not runnable: why -->\n```json\n{}\n```\n", "non-Python block"),
        ("text\n<!-- not runnable: why -->\n", "no Python block"),
    ],
)
def test_bad_marks_are_errors(text: str, message: str) -> None:
    """A mark without a reason, or not directly before a Python block, is refused."""
    with pytest.raises(BadMark, match=message):
        blocks("page.md", text)


def test_undefined_name_is_found_inside_a_function(tmp_path: Path) -> None:
    """A name used in a function body and defined nowhere on its page is reported, by page."""
    page = blocks("page.md", "```python\ndef f():\n    return handle(os)\n```\n")
    fine = blocks("other.md", "```python\nimport os\n\nos.getcwd()\n```\n")
    assert undefined_names([fine, page], tmp_path) == [
        "page.md:3: Undefined name `handle`",
        "page.md:3: Undefined name `os`",
    ]


def test_a_failing_block_fails_the_page(tmp_path: Path) -> None:
    """The runner runs every page, exits non-zero, and the traceback names the page and line."""
    failing = [{"path": "docs/x.md", "line": 7, "source": "import os\nos.environ['NOT_SET']\n"}]
    # A later page still runs, in a namespace of its own: it cannot see the first page's os.
    later = [{"path": "docs/y.md", "line": 1, "source": "os.getcwd()\n"}]
    result = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps([failing, later]),
        cwd=tmp_path,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert 'File "docs/x.md", line 8' in result.stderr
    assert "KeyError: 'NOT_SET'" in result.stderr
    assert 'File "docs/y.md", line 1' in result.stderr
    assert "NameError: name 'os' is not defined" in result.stderr
