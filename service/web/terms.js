// The glossary's report on a translation: each term ok, fixed or missing, marked in the text
// (with the report on hover) and listed beside it (for keyboards, screen readers and phones).

import { element, marked, occurrences } from "./dom.js";
import { t } from "./strings.js";

const STATUS = {
  ok: { label: "statusOk", help: "statusOkHelp" },
  fixed: { label: "statusFixed", help: "statusFixedHelp" },
  missing: { label: "statusMissing", help: "statusMissingHelp" },
};

function describe(term) {
  const status = STATUS[term.status] || STATUS.missing;
  return t("termTitle", {
    source: term.source,
    expected: term.expected,
    status: t(status.label),
    help: t(status.help),
  });
}

/** ``text`` as nodes, each place a term's preferred form stands marked with its status. */
export function markTerms(text, terms) {
  const marks = [];
  for (const term of terms) {
    if (term.status === "missing") {
      continue; // not in the text: nothing to mark
    }
    for (const range of occurrences(text, term.expected)) {
      marks.push({ ...range, term });
    }
  }
  return marked(text, marks, (mark, shown) =>
    element("mark", {
      className: `term term-${mark.term.status}`,
      title: describe(mark.term),
      textContent: shown,
      "data-term": mark.term.id,
      "data-status": mark.term.status,
    }),
  );
}

/** The report as a list: "source → expected" and the status in words (not colour alone). */
export function termList(terms) {
  if (terms.length === 0) {
    return element("p", { className: "muted", textContent: t("noTerms") });
  }
  const list = element("ul", { className: "terms" });
  for (const term of terms) {
    const status = STATUS[term.status] || STATUS.missing;
    list.append(
      element("li", { className: `term-line term-${term.status}`, "data-term": term.id }, [
        element("span", {
          className: `badge badge-${term.status}`,
          textContent: t(status.label),
          title: t(status.help),
        }),
        " ",
        element("span", { className: "term-pair", textContent: t("termLine", term) }),
        element("span", { className: "visually-hidden", textContent: ` (${t(status.help)})` }),
      ]),
    );
  }
  return list;
}
