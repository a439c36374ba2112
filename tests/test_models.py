"""Translation packages: install from a file or a local index, list, remove, refuse bad archives."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from toolkit import Settings
from toolkit.errors import (
    InvalidModelPackage,
    ModelIndexUnavailable,
    ModelNotAvailable,
    ModelNotInstalled,
)
from toolkit.translation import (
    ALL_DIRECTIONS,
    find_model,
    install_from_file,
    install_from_index,
    list_models,
    remove_model,
)

Packages = dict[tuple[str, str], Path]


def write_index(folder: Path, entries: list[dict]) -> str:
    """An index in the Argos format (a JSON list of package metadata with links); its file:// URL."""
    index = folder / "index.json"
    index.write_text(json.dumps(entries), encoding="utf-8")
    return index.as_uri()


def entry(source: str, target: str, archive: Path, version: str = "1.0") -> dict:
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": source,
        "to_code": target,
        "from_name": source,
        "to_name": target,
        "type": "translate",
        "code": f"translate-{source}_{target}",
        "links": [archive.as_uri()],
    }


def test_install_from_file_then_list_then_remove(tiny_packages: Packages) -> None:
    settings = Settings.from_env()
    model = install_from_file(tiny_packages[("en", "zh")], settings)
    assert (model.source, model.target, model.version) == ("en", "zh", "1.0")
    assert model.path.parent == settings.packages_dir
    assert [m.to_dict() for m in list_models(settings)] == [
        {"from": "en", "to": "zh", "version": "1.0", "path": str(model.path)}
    ]
    removed = remove_model("en", "zh", settings)
    assert removed.path == model.path and not model.path.exists()
    assert list_models(settings) == []


def test_installing_again_replaces_the_package_for_that_direction(tiny_packages: Packages, tmp_path: Path) -> None:
    from tests.argos_packages import build_tiny_packages

    settings = Settings.from_env()
    install_from_file(tiny_packages[("ru", "en")], settings)
    newer = build_tiny_packages(tmp_path / "v11", pairs=[("ru", "en")], version="1.1")[("ru", "en")]
    install_from_file(newer, settings)
    assert [(m.source, m.target, m.version) for m in list_models(settings)] == [("ru", "en", "1.1")]


def test_removing_what_is_not_installed_says_so() -> None:
    with pytest.raises(ModelNotInstalled, match="triglot models list"):
        remove_model("en", "ru", Settings.from_env())


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in files.items():
            bundle.writestr(name, data)
    return path


def good_members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def bad_archive(kind: str, good: Path, folder: Path) -> Path:
    members = good_members(good)
    top = next(iter(members)).split("/")[0]
    target = folder / f"{kind}.argosmodel"
    if kind == "not-a-zip":
        target.write_bytes(b"this is not a zip file at all")
    elif kind == "truncated":
        target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "no-metadata":
        make_zip(target, {k: v for k, v in members.items() if not k.endswith("metadata.json")})
    elif kind == "no-model":
        make_zip(target, {k: v for k, v in members.items() if "/model/" not in k})
    elif kind == "no-tokenizer":
        make_zip(target, {k: v for k, v in members.items() if not k.endswith("sentencepiece.model")})
    elif kind == "two-folders":
        make_zip(target, {**members, "other/readme.txt": b"x"})
    elif kind == "escaping-path":
        make_zip(target, {**members, f"{top}/../../evil.txt": b"x"})
    elif kind == "other-languages":
        metadata = json.loads(members[f"{top}/metadata.json"])
        metadata.update(from_code="fr", to_code="de")
        make_zip(target, {**members, f"{top}/metadata.json": json.dumps(metadata).encode()})
    elif kind == "bad-metadata":
        make_zip(target, {**members, f"{top}/metadata.json": b"{not json"})
    elif kind == "bad-tokenizer":
        make_zip(target, {**members, f"{top}/sentencepiece.model": b"garbage"})
    return target


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("not-a-zip", "not a zip"),
        ("truncated", "not a zip"),
        ("no-metadata", "no metadata.json"),
        ("no-model", "no model/model.bin"),
        ("no-tokenizer", "no sentencepiece.model"),
        ("two-folders", "exactly one top folder"),
        ("escaping-path", "unsafe path"),
        ("other-languages", "'fr'→'de'"),
        ("bad-metadata", "metadata.json"),
        ("bad-tokenizer", "cannot be loaded"),
    ],
)
def test_a_bad_archive_is_refused_and_leaves_the_installed_set_as_it_was(
    tiny_packages: Packages, tmp_path: Path, kind: str, words: str
) -> None:
    settings = Settings.from_env()
    before = install_from_file(tiny_packages[("en", "zh")], settings)
    archive = bad_archive(kind, tiny_packages[("en", "zh")], tmp_path)
    with pytest.raises(InvalidModelPackage, match=words):
        install_from_file(archive, settings)
    assert list_models(settings) == [before]
    assert list((settings.home / "tmp").iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(InvalidModelPackage, match="no such file"):
        install_from_file(Path("/nowhere/x.argosmodel"), Settings.from_env())


def test_install_from_a_local_index_picks_the_newest_version(tiny_packages: Packages, tmp_path: Path) -> None:
    from tests.argos_packages import build_tiny_packages

    newer = build_tiny_packages(tmp_path / "v2", pairs=[("en", "ru")], version="2.0")[("en", "ru")]
    url = write_index(
        tmp_path,
        [entry("en", "ru", tiny_packages[("en", "ru")], "1.0"), entry("en", "ru", newer, "2.0")]
        + [entry("zh", "en", tiny_packages[("zh", "en")])],
    )
    settings = Settings.from_env(model_index=url)
    seen: list[tuple[int, int | None]] = []
    model = install_from_index("en", "ru", settings, progress=lambda done, total: seen.append((done, total)))
    assert (model.source, model.target, model.version) == ("en", "ru", "2.0")
    assert seen and seen[-1][0] == newer.stat().st_size
    with pytest.raises(ModelNotAvailable, match="no ru→zh package"):
        install_from_index("ru", "zh", settings)


def test_every_direction_triglot_needs_installs_from_the_index(tiny_packages: Packages, tmp_path: Path) -> None:
    url = write_index(tmp_path, [entry(s, t, tiny_packages[(s, t)]) for s, t in ALL_DIRECTIONS])
    settings = Settings.from_env(model_index=url)
    for source, target in ALL_DIRECTIONS:
        install_from_index(source, target, settings)
    assert [(m.source, m.target) for m in list_models(settings)] == sorted(ALL_DIRECTIONS)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/index.json",
        "file:///nowhere/at/all/index.json",
        "not a url",
    ],
)
def test_an_unreachable_index_is_a_clear_error_within_seconds(url: str) -> None:
    settings = Settings.from_env(model_index=url.format(port=closed_port()), network_timeout=3.0)
    started = time.monotonic()
    with pytest.raises(ModelIndexUnavailable, match="could not fetch the model index"):
        install_from_index("en", "zh", settings)
    assert time.monotonic() - started < 5
    assert list_models(settings) == []


def test_an_index_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "index.json"
    page.write_text("<html>not json</html>", encoding="utf-8")
    with pytest.raises(ModelIndexUnavailable, match="not a model index"):
        install_from_index("en", "zh", Settings.from_env(model_index=page.as_uri()))
    page.write_text('{"packages": []}', encoding="utf-8")
    with pytest.raises(ModelIndexUnavailable, match="expected a list"):
        install_from_index("en", "zh", Settings.from_env(model_index=page.as_uri()))


def test_a_broken_download_link_installs_nothing(tiny_packages: Packages, tmp_path: Path) -> None:
    from toolkit.errors import ModelDownloadFailed

    url = write_index(tmp_path, [entry("en", "zh", tmp_path / "missing.argosmodel")])
    settings = Settings.from_env(model_index=url)
    with pytest.raises(ModelDownloadFailed, match="could not download"):
        install_from_index("en", "zh", settings)
    assert find_model("en", "zh", settings) is None


def test_argostranslate_leaves_the_users_home_alone(tiny_packages: Packages, tmp_path: Path) -> None:
    home, triglot_home = tmp_path / "user", tmp_path / "triglot"
    home.mkdir()
    probe = (
        "import sys\nfrom pathlib import Path\nfrom toolkit import Settings\n"
        "from toolkit.translation import install_from_file, list_models\n"
        "settings = Settings.from_env()\n"
        "install_from_file(Path(sys.argv[1]), settings)\n"
        "print(len(list_models(settings)))\n"
        "print('argostranslate.translate' in sys.modules, 'torch' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    env.update(HOME=str(home), TRIGLOT_HOME=str(triglot_home))
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tiny_packages[("en", "zh")])],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.split() == ["1", "False", "False"]
    assert list(home.iterdir()) == []
    assert (triglot_home / "packages").is_dir()
