"""Build the week's trilingual newsletter section from a folder of articles.

    python examples/newsletter.py examples/articles -o digest.html
    python examples/newsletter.py incoming/ --since 2026-11-16 -o week.html --to en,ru

What a newsletter pipeline does around triglot: pick the week's articles, make the
digest, refuse to publish when an article failed (unless told to), and write the
file atomically so the mailer never picks up half a page. triglot prints nothing;
this script decides what to tell the editor.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import toolkit
from toolkit.text import write_atomically


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where this week's articles are")
    parser.add_argument("-o", "--output", type=Path, default=Path("digest.html"), help="the HTML file to write")
    parser.add_argument("--to", default="en,zh,ru", help="languages of the newsletter (default: en,zh,ru)")
    parser.add_argument("--since", help="leave out articles dated before this day (YYYY-MM-DD)")
    parser.add_argument("--allow-failures", action="store_true", help="publish even if an article failed")
    args = parser.parse_args()

    try:
        digest = toolkit.digest([args.folder], targets=args.to.split(","), sentences=2, sort="date")
    except toolkit.TriglotError as error:  # no articles in the folder, a bad language code...
        print(f"newsletter: {error}", file=sys.stderr)
        return 1

    if args.since:
        # Undated articles stay in: the editor put them in this week's folder. A date may be
        # a month ("2026-11"): it counts as that whole month.
        kept = tuple(a for a in digest.articles if a.date is None or a.date >= args.since[: len(a.date)])
        digest = dataclasses.replace(digest, articles=kept)

    for notice in digest.notices:
        print(f"newsletter: notice: {notice.message}", file=sys.stderr)
    for article in digest.failed:
        print(f"newsletter: failed: {article.error}", file=sys.stderr)
    if digest.failed and not args.allow_failures:
        print("newsletter: not published; fix the articles above or pass --allow-failures", file=sys.stderr)
        return 1

    try:
        # The mailer sees last week's file or this week's, whole: never half a page.
        write_atomically(args.output, digest.render("html"), what="the newsletter")
    except toolkit.TriglotError as error:
        print(f"newsletter: {error}", file=sys.stderr)
        return 1
    print(f"newsletter: {len(digest.articles)} articles in {', '.join(digest.targets)} -> {args.output}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
