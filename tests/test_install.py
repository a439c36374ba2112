"""``pip install .`` stays light: no torch, stanza or spaCy among what it installs.

The dependency closure is read from the installed distributions' own metadata (what
pip resolved), with environment markers evaluated and no extras, which is exactly the
set ``pip install .`` brings in.
"""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement

HEAVY = {"torch", "stanza", "spacy", "triton", "argostranslate"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(root: str) -> set[str]:
    """``root`` and every distribution it needs, without extras, by canonical name."""
    seen: set[str] = set()
    waiting = [root]
    while waiting:
        name = canonical(waiting.pop())
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or ():
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                waiting.append(requirement.name)
    return seen


def test_pip_install_brings_no_torch_stanza_or_spacy() -> None:
    needed = closure("triglot")
    assert {"argos-translate-lt", "ctranslate2", "sentencepiece"} <= needed
    assert not needed & HEAVY
    assert not any(name.startswith("nvidia-") for name in needed)


def test_nothing_in_this_environment_installed_them_either() -> None:
    """The test extra included: a heavy package here would hide a missing dependency of the library."""
    installed = {canonical(d.metadata["Name"]) for d in metadata.distributions()}
    assert not installed & HEAVY
