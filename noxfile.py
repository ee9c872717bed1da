"""Development sessions: tests, tests-minimal, integration, sdk, typing, lint, docs, build."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "typing", "tests", "tests-minimal", "docs"]

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


def _run_pytest(session: nox.Session, *args: str, extras: str = "all", group: str) -> None:
    target = f".[{extras}]" if extras else "."
    session.install("-e", target, "--group", group)
    session.run("pytest", "-n", "auto", "--dist", "worksteal", *args, *session.posargs)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite with every extra, less the server-backed tests and the SDK cross-checks."""
    _run_pytest(session, "-m", "not sdk and not servers", group="tests-base")


@nox.session(name="tests-minimal", python=PYTHONS[0])
def tests_minimal(session: nox.Session) -> None:
    """The core with no extras: everything optional must fail with an install hint."""
    session.install("-e", ".", "pytest", "hypothesis")
    session.run(
        "pytest",
        "-m",
        "not servers",
        "tests/test_packaging.py",
        "tests/test_verifier.py",
        *session.posargs,
    )


@nox.session
def integration(session: nox.Session) -> None:
    """Tests against real Redis, PostgreSQL and HTTP servers (scripts/servers.sh starts them)."""
    session.run("bash", "scripts/servers.sh", "start", external=True)
    _run_pytest(session, "-m", "servers", group="tests")


@nox.session
def sdk(session: nox.Session) -> None:
    """The cross-checks against the providers' official SDKs, Python and Node."""
    session.run("bash", "scripts/node-sdks.sh", external=True)
    _run_pytest(session, "-m", "sdk", group="tests")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package and the API examples, and pyright's completeness check."""
    session.install("-e", ".[all]", "--group", "typing")
    session.run("mypy")
    session.run("pyright", "--verifytypes", "hooksig", "--ignoreexternal")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format, and the import-layer contract."""
    session.install("-e", ".", "--group", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs with warnings as errors, then run their doctests."""
    session.install("-e", ".[all]", "--group", "docs")
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )
    session.run("sphinx-build", "-n", "-W", "-b", "doctest", "docs", "docs/_build/doctest")


@nox.session
def build(session: nox.Session) -> None:
    """Build sdist and wheel, check them, and import the wheel outside the source tree."""
    session.install("build", "twine")
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run("twine", "check", "dist/*")
    tmp = session.create_tmp()
    session.install(
        "--no-deps", *[str(p) for p in __import__("pathlib").Path("dist").glob("*.whl")]
    )
    session.chdir(tmp)
    session.run("python", "-c", "import hooksig; print(hooksig.__version__)")
