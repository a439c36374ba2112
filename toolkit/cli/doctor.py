"""``triglot doctor``: one screen of what triglot sees, and what to do about what is missing.

Exit status 0 when every direction among English, Chinese and Russian can be
translated and the glossary loads; 1 otherwise. The model index is looked at (within
the timeout) but not required: working offline with installed packages is the norm.
"""

from __future__ import annotations

import argparse
import os
import sys

from .common import EXIT_OK, print_json

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from ..settings import Settings

EXIT_PROBLEMS = 1


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="what triglot sees: packages, glossary, cache, model index",
        description="Show the version, the data directory, the installed packages and the directions they "
        "translate, the glossary in use, the cache and whether the model index answers, with what to do about "
        "anything missing. Exit status: 0 everything the three languages need is there; 1 something is missing.",
    )
    doctor.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    doctor.add_argument(
        "--timeout", type=float, metavar="S", help="seconds to wait for the model index (default: TRIGLOT_NETWORK_TIMEOUT)"
    )
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from ..settings import Settings

    settings = Settings.from_env(**({} if args.timeout is None else {"network_timeout": args.timeout}))
    report = examine(settings)
    if args.format == "json":
        print_json(report)
    else:
        sys.stdout.write(as_text(report))
    return EXIT_OK if report["ok"] else EXIT_PROBLEMS


def examine(settings: Settings) -> dict[str, Any]:
    """Everything ``doctor`` reports, as the JSON it prints."""
    from .._version import __version__

    packages, directions = _packages(settings)
    glossary = _glossary(settings)
    advice = []
    missing = [d for d in directions if d["via"] is None]
    if missing:
        advice.append(
            "run 'triglot models install --all' (offline: 'triglot models install --file PATH.argosmodel'): "
            + ", ".join(f"{d['from']}→{d['to']}" for d in missing) + " cannot be translated"
        )
    cache = _cache(settings)
    if cache["problem"] and cache["backend"] == "redis":
        advice.append(f"start Redis or fix TRIGLOT_REDIS_URL: the translation cache is not in use ({cache['problem']})")
    elif cache["problem"]:
        advice.append("run 'triglot cache clear': the translation cache is damaged and not in use")
    if glossary["error"]:
        advice.append(f"fix the glossary file ({glossary['error']}) or leave it out of TRIGLOT_GLOSSARY")
    elif glossary["conflicts"]:
        advice.append("resolve the glossary's conflicts: a form can name only one concept")
    return {
        "version": __version__,
        "home": {"path": str(settings.home), "exists": settings.home.is_dir(), "size_bytes": _size(settings.home)},
        "packages": packages,
        "directions": directions,
        "glossary": glossary,
        "cache": cache,
        "model_index": _model_index(settings),
        "advice": advice,
        "ok": not missing and not glossary["error"],
    }


def as_text(report: dict[str, Any]) -> str:
    home = report["home"]
    lines = [f"triglot {report['version']}"]
    where = f"{home['path']} ({_bytes(home['size_bytes'])})" if home["exists"] else f"{home['path']} (not made yet)"
    lines.append(f"data         {where}")
    packages = report["packages"]
    listed = ", ".join(f"{p['from']}→{p['to']} {p['version']}" for p in packages) or "none"
    lines.append(f"packages     {len(packages)} installed: {listed}")
    for direction in report["directions"]:
        via = direction["via"]
        how = "directly" if via == "direct" else f"through {via}" if via else "MISSING"
        lines.append(f"  {direction['from']}→{direction['to']}      {how}")
    glossary = report["glossary"]
    if glossary["error"]:
        lines.append(f"glossary     ERROR: {glossary['error']}")
    else:
        conflicts = len(glossary["conflicts"])
        lines.append(
            f"glossary     {', '.join(glossary['files'])}: {glossary['concepts']} concepts, "
            + (f"{conflicts} conflicts" if conflicts else "no conflicts")
        )
        lines += [f"  {conflict}" for conflict in glossary["conflicts"][:5]]
    cache = report["cache"]
    state = "on" if cache["enabled"] else "off (TRIGLOT_CACHE=0)"
    if cache["problem"]:
        state = f"NOT IN USE ({cache['problem']})"
    lines.append(f"cache        {state}: {cache['entries']} sentences, {_bytes(cache['size_bytes'])}, {cache['path']}")
    index = report["model_index"]
    if index["reachable"]:
        lines.append(f"model index  {index['url']}: answers, {index['packages']} packages")
    else:
        lines.append(f"model index  no answer within {index['timeout_s']:g} s: {index['error']}")
    lines += [f"to do        {item}" for item in report["advice"]] or ["to do        nothing: all six directions work"]
    return "\n".join(lines) + "\n"


def _packages(settings: Settings) -> tuple[list[dict[str, str]], list[dict[str, str | None]]]:
    from ..errors import ModelNotInstalled
    from ..text import SUPPORTED
    from ..translation import list_models, route

    packages = [model.to_dict() for model in list_models(settings)]
    directions: list[dict[str, str | None]] = []
    for source in SUPPORTED:
        for target in SUPPORTED:
            if source == target:
                continue
            try:
                legs = route(source, target, settings)
            except ModelNotInstalled:
                via = None
            else:
                via = "direct" if len(legs) == 1 else legs[0].target
            directions.append({"from": source, "to": target, "via": via})
    return packages, directions


def _glossary(settings: Settings) -> dict[str, Any]:
    from glossary import Glossary, conflicts

    from ..errors import TriglotError

    files = (["shipped"] if settings.default_glossary else []) + [str(path) for path in settings.glossary]
    try:
        in_use = Glossary.in_use(settings)
    except TriglotError as error:
        return {"files": files, "concepts": 0, "conflicts": [], "error": str(error)}
    return {"files": files or ["none"], "concepts": len(in_use), "conflicts": conflicts(in_use), "error": None}


def _cache(settings: Settings) -> dict[str, Any]:
    from ..translation import new_cache

    stats = new_cache(settings).stats().to_dict()
    return {**stats, "enabled": settings.cache}


def _model_index(settings: Settings) -> dict[str, Any]:
    from ..errors import ModelIndexUnavailable
    from ..translation import fetch_index

    found: dict[str, Any] = {"url": settings.model_index, "timeout_s": settings.network_timeout}
    try:
        entries = fetch_index(settings)
    except ModelIndexUnavailable as error:
        return {**found, "reachable": False, "packages": 0, "error": str(error)}
    return {**found, "reachable": True, "packages": len(entries), "error": None}


def _size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue  # removed while we looked
    return total


def _bytes(count: int) -> str:
    units = ("B", "KiB", "MiB", "GiB")
    size, unit = float(count), 0
    while size >= 1024 and unit < len(units) - 1:
        size, unit = size / 1024, unit + 1
    return f"{count} B" if unit == 0 else f"{size:.1f} {units[unit]}"
