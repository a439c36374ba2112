"""Which installed packages take a text from one language to another: directly, or through English.

The public index has no zh↔ru package, so Chinese and Russian translate to each other
through English; every door asks here what is reachable rather than working it out.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import ModelNotInstalled
from ..settings import Settings
from ..text import SUPPORTED
from .packages import InstalledModel, find_model

PIVOT = "en"


def route(source: str, target: str, settings: Settings) -> list[InstalledModel]:
    """The installed packages to go through: none, one, or two by way of English.

    Raises ``ModelNotInstalled`` naming the install command of every missing package.
    """
    if source == target:
        return []
    direct = find_model(source, target, settings)
    if direct is not None:
        return [direct]
    if PIVOT in (source, target):
        raise ModelNotInstalled(
            f"no {source}→{target} model; run 'triglot models install {source} {target}'", source=source, target=target
        )
    legs = [(source, PIVOT), (PIVOT, target)]
    found = [find_model(a, b, settings) for a, b in legs]
    missing = [f"'triglot models install {a} {b}'" for (a, b), model in zip(legs, found) if model is None]
    if missing:
        raise ModelNotInstalled(
            f"no {source}→{target} model; {source}→{target} goes through English: run " + " and ".join(missing),
            source=source,
            target=target,
        )
    return [m for m in found if m is not None]


def reachable(models: Iterable[InstalledModel]) -> dict[str, list[str]]:
    """Each language some package reads or writes, and the targets it reaches with ``models``
    (directly or through English), in ``SUPPORTED`` order."""
    direct = {(m.source, m.target) for m in models}

    def reaches(source: str, target: str) -> bool:
        return (source, target) in direct or {(source, PIVOT), (PIVOT, target)} <= direct

    served = [code for code in SUPPORTED if any(code in pair for pair in direct)]
    return {code: [t for t in SUPPORTED if t != code and reaches(code, t)] for code in served}
