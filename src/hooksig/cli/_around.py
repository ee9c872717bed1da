"""
The commands around the receiver: ``hooksig allowlist``, ``hooksig journal``, ``hooksig reconcile``.

docs/cli.md describes every flag and ``--json`` document.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from typing import Any

from ..errors import ProviderApiError
from . import _targets
from ._io import UsageError

__all__ = ["COMMANDS", "add_parsers"]

EXIT_OK, EXIT_FAILED, EXIT_NO_ANSWER = 0, 1, 4

AddCommand = Callable[[str, str], argparse.ArgumentParser]


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, indent=2, sort_keys=True) if args.json else text)


# -- hooksig allowlist show | refresh --------------------------------------------------


def cmd_allowlist(args: argparse.Namespace) -> int:
    """Show the published ranges, or fetch them again into a ranges file."""
    from ..gate import allowlist, refresh

    snapshot = allowlist.load_snapshot()
    if args.snapshot:
        snapshot.update(allowlist.load_snapshot(args.snapshot))
    if args.action == "show":
        names = args.providers or sorted(snapshot)
        entries = [allowlist.provider_ranges(name, snapshot) for name in names]
        lines = [
            f"{e.name}: {len(e.ranges)} ranges, retrieved {e.retrieved} from {e.source or e.docs}"
            for e in entries
        ]
        _emit(args, {"providers": {e.name: e.as_json() for e in entries}}, "\n".join(lines))
        return EXIT_OK
    if not args.output:
        raise UsageError("refresh writes a ranges file: pass --output FILE")
    names = args.providers or sorted(refresh.READERS)
    if args.url and len(names) != 1:
        raise UsageError("--url reads one provider: name it")
    try:
        fresh = [refresh.refresh(name, url=args.url, timeout=args.timeout) for name in names]
    except ProviderApiError as error:
        _emit(args, {"ok": False, "error": str(error)}, f"hooksig: {error}")
        return EXIT_NO_ANSWER
    keep = allowlist.load_snapshot(args.output) if os.path.exists(args.output) else {}
    refresh.write_snapshot(args.output, fresh, keep=keep)
    text = "\n".join(f"{e.name}: {len(e.ranges)} ranges written to {args.output}" for e in fresh)
    _emit(args, {"ok": True, "written": {e.name: len(e.ranges) for e in fresh}}, text)
    return EXIT_OK


# -- hooksig journal list | show | replay ----------------------------------------------


def cmd_journal(args: argparse.Namespace) -> int:
    """List, show or replay journal entries."""
    journal = _targets.journal(args, required=True)
    try:
        if args.action == "list":
            since = None if args.since is None else _targets.moment(args.since)
            entries = journal.list(outcome=args.outcome, since=since, limit=args.limit)
            lines = [
                f"{e.key}  {e.outcome:<7} attempts={e.attempts}  "
                f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(e.updated_at))}"
                + (f"  {e.last_error}" if e.last_error else "")
                for e in entries
            ]
            _emit(args, {"entries": [e.as_json() for e in entries]}, "\n".join(lines))
            return EXIT_OK
        if args.action == "show":
            entry = journal.get(args.keys[0]) if len(args.keys) == 1 else None
            if entry is None:
                raise UsageError("show takes one key of the journal" if len(args.keys) != 1
                                 else f"no journal entry {args.keys[0]!r}")  # fmt: skip
            data = entry.as_json(body=True)
            text = "\n".join(f"{k}: {v}" for k, v in data.items() if k != "body_base64")
            _emit(args, data, text)
            return EXIT_OK
        return _replay(args, journal)
    finally:
        journal.close()


def _replay(args: argparse.Namespace, journal: Any) -> int:
    keys = list(args.keys)
    if args.all_failed:
        keys += [e.key for e in journal.list(outcome="failed", limit=args.limit)]
    if not keys:
        raise UsageError("name the keys to replay, or pass --all-failed")
    if not args.handler:
        raise UsageError("replay runs a handler: pass --handler MODULE:FUNC")
    handle = _targets.handler(args.handler)
    guard = _targets.guard(args)
    results = [journal.replay(key, handle, guard) for key in keys]
    lines = [f"{r.key}: {r.outcome}" + (f" ({r.error})" if r.error else "") for r in results]
    data = {"results": [{"key": r.key, "outcome": r.outcome, "error": r.error} for r in results]}
    _emit(args, data, "\n".join(lines))
    return EXIT_FAILED if any(r.outcome in ("failed", "missing") for r in results) else EXIT_OK


# -- hooksig reconcile stripe | github | svix -------------------------------------------


def _source(args: argparse.Namespace) -> Any:
    from ..reconcile import GitHubSource, StripeSource, SvixSource

    base = {"api_base": args.api_base} if args.api_base else {}
    if args.source == "stripe":
        return StripeSource(
            _targets.token(args, "STRIPE_API_KEY"), types=args.type, account=args.account, **base
        )
    if args.source == "github":
        if args.hook_id is None:
            raise UsageError("github needs --hook-id, and --repo OWNER/NAME or --org ORG")
        return GitHubSource(
            _targets.token(args, "GITHUB_TOKEN"),
            hook_id=args.hook_id,
            repo=args.repo,
            org=args.org,
            **base,
        )
    if not args.app_id:
        raise UsageError("svix needs --app-id")
    return SvixSource(
        _targets.token(args, "SVIX_API_KEY"),
        app_id=args.app_id,
        endpoint_id=args.endpoint_id,
        server_url=args.api_base,
    )


def cmd_reconcile(args: argparse.Namespace) -> int:
    """Run the events the receiver missed through its handler, once each."""
    from ..reconcile import Reconciler

    since = _targets.moment(args.since)
    until = None if args.until is None else _targets.moment(args.until)
    source = _source(args)
    handle = _targets.handler(args.handler)
    guard = _targets.guard(args)
    journal = _targets.journal(args, required=False)
    reconciler = Reconciler(source, handle, guard, journal=journal, max_events=args.max_events)
    try:
        report = reconciler.run(since, until, redeliver=args.redeliver)
    except ProviderApiError as error:
        _emit(args, {"ok": False, "error": str(error)}, f"hooksig: {error}")
        return EXIT_NO_ANSWER
    finally:
        if journal is not None:
            journal.close()
    text = (
        f"listed {report.listed}: handled {len(report.handled)}, already seen {report.seen}, "
        f"in progress {report.in_progress}, redelivered {len(report.redelivered)}, "
        f"failed {len(report.failed)}"
    )
    text += "".join(f"\nfailed {ident}: {error}" for ident, error in report.failed)
    _emit(args, report.as_json(), text)
    return EXIT_FAILED if report.failed else EXIT_OK


COMMANDS = {"allowlist": cmd_allowlist, "journal": cmd_journal, "reconcile": cmd_reconcile}


def add_parsers(command: AddCommand) -> None:
    """Add ``allowlist``, ``journal`` and ``reconcile`` through the parser's *command* helper."""
    allow = command("allowlist", "show or refresh the providers' published source ranges")
    allow.add_argument("action", choices=("show", "refresh"))
    allow.add_argument("providers", nargs="*", metavar="PROVIDER", help="default: all")
    allow.add_argument("--snapshot", metavar="FILE", help="a ranges file to show (with show)")
    allow.add_argument("--output", metavar="FILE", help="the ranges file to write (refresh)")
    allow.add_argument("--url", help="read this URL instead of the provider's (one provider)")
    allow.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")

    journal = command("journal", "list, show or replay journaled deliveries")
    journal.add_argument("action", choices=("list", "show", "replay"))
    journal.add_argument("keys", nargs="*", metavar="KEY", help="entry keys (show, replay)")
    journal.add_argument("--outcome", choices=("failed", "handled"), help="list only these")
    journal.add_argument("--since", metavar="TIME", help="list entries updated since (72h, ISO)")
    journal.add_argument("--limit", type=int, default=100, help="most entries (default 100)")
    journal.add_argument("--all-failed", action="store_true", help="replay every dead letter")
    journal.add_argument("--handler", metavar="MODULE:FUNC", help="the handler to replay with")
    _targets.store_flags(journal, journal_required=True)

    rec = command("reconcile", "handle the events a receiver missed, fetched from the API")
    rec.add_argument("source", choices=("stripe", "github", "svix"))
    rec.add_argument("--since", required=True, metavar="TIME", help="72h, 3d, ISO 8601, Unix")
    rec.add_argument("--until", metavar="TIME", help="default: now")
    rec.add_argument("--handler", required=True, metavar="MODULE:FUNC", help="the handler")
    rec.add_argument(
        "--redeliver", action="store_true", help="ask github or svix to deliver them again"
    )
    rec.add_argument("--token-env", metavar="VAR", help="environment variable with the API token")
    rec.add_argument("--token-file", metavar="PATH", help="file holding the API token")
    rec.add_argument("--api-base", metavar="URL", help="the API's base URL")
    rec.add_argument("--max-events", type=int, default=100_000, help="most events listed")
    rec.add_argument("--type", action="append", default=[], help="stripe: an event type")
    rec.add_argument("--account", help="stripe: a connected account id")
    rec.add_argument("--repo", metavar="OWNER/NAME", help="github: the repository")
    rec.add_argument("--org", help="github: the organization")
    rec.add_argument("--hook-id", type=int, help="github: the webhook's id")
    rec.add_argument("--app-id", help="svix: the application")
    rec.add_argument("--endpoint-id", help="svix: your endpoint, to resend to")
    _targets.store_flags(rec, journal_required=False)
