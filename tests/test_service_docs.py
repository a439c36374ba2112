"""/docs and /redoc work offline: the pages and everything they load come from the server itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.browser import browse
from tests.service_server import running
from toolkit import Settings

PAGES = ("/docs", "/redoc")


class References(HTMLParser):
    """Every URL a page makes the browser fetch: scripts, styles, icons, images, and the spec it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"src", "href", "spec-url"}:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        # Swagger UI's inline script names the spec as `url: '/openapi.json'`.
        self.urls.extend(re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", data))


def references(page: str) -> list[str]:
    parser = References()
    parser.feed(page)
    return parser.urls


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with no packages: the documentation needs none."""
    home = tmp_path_factory.mktemp("docs") / "home"
    with running(create_app(ServiceSettings(), library=Settings.from_env({}, home=home)), ready=False) as url:
        yield url


@pytest.mark.parametrize("page", PAGES)
def test_the_page_and_every_asset_it_references_come_from_the_server(server: str, page: str) -> None:
    answer = httpx.get(server + page)
    assert answer.status_code == 200
    urls = references(answer.text)
    assert any(url.endswith(".js") for url in urls) and "/openapi.json" in urls
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{page} loads {url} from outside the server"
        asset = httpx.get(urljoin(server + page, url))
        assert asset.status_code == 200 and asset.content, url


def test_no_page_names_another_host(server: str) -> None:
    for page in PAGES:
        assert not re.search(r"https?://", httpx.get(server + page).text), page


@pytest.mark.slow
@pytest.mark.parametrize(("page", "rendered"), [("/docs", 'class="opblock-summary-path"'), ("/redoc", "/translate")])
def test_chromium_renders_the_page_with_every_other_host_unreachable(
    chromium: Path, server: str, tmp_path: Path, page: str, rendered: str
) -> None:
    dom = browse(
        chromium, tmp_path / "profile", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=20000", "--dump-dom", server + page,
    )
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    html = dom.stdout.decode("utf-8")
    assert rendered in html and "/detect" in html, html[-2000:]
