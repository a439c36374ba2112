"""The public facade: a small sorted __all__, one exception hierarchy, nothing done at import."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import toolkit
from toolkit import errors


def test_all_is_sorted_and_lists_exactly_the_public_names() -> None:
    assert toolkit.__all__ == sorted(toolkit.__all__)
    for name in toolkit.__all__:  # the facade loads each name on first use
        getattr(toolkit, name)
    public = {
        name
        for name, value in vars(toolkit).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public | {"__version__"} == set(toolkit.__all__)


def test_every_error_class_descends_from_triglot_error() -> None:
    classes = [value for value in vars(errors).values() if inspect.isclass(value) and issubclass(value, Exception)]
    assert len(classes) > 5
    assert all(issubclass(cls, toolkit.TriglotError) for cls in classes)


def test_every_error_class_is_drawn_in_the_module_docstring() -> None:
    for name, value in vars(errors).items():
        if inspect.isclass(value) and issubclass(value, Exception) and name != "Exception":
            assert name in (errors.__doc__ or ""), name


def test_import_creates_nothing_and_loads_no_language_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    probe = (
        "import sys, toolkit\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"TRIGLOT_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    loaded = set(result.stdout.split())
    assert not loaded & {"sumy", "nltk", "numpy", "jieba", "razdel", "opencc", "torch", "argostranslate"}
    assert not home.exists()


def _project_modules_after(code: str, tmp_path: Path) -> set[str]:
    probe = code + "\nprint(' '.join(m for m in sys.modules if m.split('.')[0] in ('toolkit', 'glossary', 'service')), file=sys.stderr)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={"TRIGLOT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    return set(result.stderr.split())  # the command's own output is on stdout


def test_the_facade_loads_each_name_on_first_use(tmp_path: Path) -> None:
    assert _project_modules_after("import sys, toolkit", tmp_path) == {"toolkit", "toolkit._version"}
    loaded = _project_modules_after("import sys, toolkit\ntoolkit.Settings", tmp_path)
    assert loaded == {"toolkit", "toolkit._version", "toolkit.errors", "toolkit.settings"}


def test_help_and_detect_import_no_stage_they_do_not_use(tmp_path: Path) -> None:
    stages = {"toolkit.summarization", "toolkit.translation", "toolkit.pipeline", "toolkit.digests", "glossary", "service"}
    run = "import sys\nfrom toolkit.cli import main\ntry:\n    main({argv})\nexcept SystemExit:\n    pass"
    at_help = _project_modules_after(run.format(argv="['--help']"), tmp_path)
    assert {m.split(".")[0] for m in at_help} == {"toolkit"}
    assert not {m for m in at_help if m.startswith(("toolkit.detection", "toolkit.text", *stages))}
    article = tmp_path / "article.txt"
    article.write_text("Trade between small firms grew again this year.", encoding="utf-8")
    at_detect = _project_modules_after(run.format(argv=f"['detect', {str(article)!r}]"), tmp_path)
    assert "toolkit.detection" in at_detect
    assert not {m for m in at_detect if m.startswith(tuple(stages))}
