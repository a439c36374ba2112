// The Glossary section: a term looked up in GET /glossary (every language and variant), and a
// translation checked with POST /glossary/check (the report, and the text with the preferred terms).

import { get, post } from "./api.js";
import { busy, byId, element, say, sayError } from "./dom.js";
import { t } from "./strings.js";
import { markTerms, termList } from "./terms.js";
import { fillLanguages } from "./translate.js";

const MAX_SHOWN = 20;
const LANGUAGES = ["en", "zh", "ru"];

function folded(text) {
  return text.normalize("NFKC").toLocaleLowerCase().trim();
}

/** Entries where ``query`` is part of a term or a variant in any language; whole-term matches first. */
export function lookUp(entries, query) {
  const wanted = folded(query);
  const scored = [];
  for (const entry of entries) {
    const forms = LANGUAGES.flatMap((code) => [entry[code], ...entry[`${code}_variants`]]).map(folded);
    if (forms.includes(wanted)) {
      scored.push([0, entry]);
    } else if (forms.some((form) => form.includes(wanted))) {
      scored.push([1, entry]);
    }
  }
  return scored.sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
}

function entryCard(entry, names) {
  const rows = LANGUAGES.flatMap((code) => [
    element("dt", { textContent: names[code] || code }),
    element("dd", { lang: code, textContent: entry[code] }),
  ]);
  const variants = LANGUAGES.flatMap((code) => entry[`${code}_variants`]);
  if (variants.length) {
    rows.push(element("dt", { textContent: t("columnVariants") }), element("dd", { textContent: variants.join(" · ") }));
  }
  if (entry.note) {
    rows.push(element("dt", { textContent: t("columnNote") }), element("dd", { textContent: entry.note }));
  }
  return element("article", { className: "entry", "data-entry": entry.id }, [element("dl", {}, rows)]);
}

export async function setupGlossary({ languages, names, askForKey }) {
  let glossary = null; // fetched once, on the first look-up
  const lookupStatus = byId("lookup-status");
  const lookupResult = byId("lookup-result");
  byId("lookup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = byId("lookup").value;
    if (!query.trim()) {
      byId("lookup").focus();
      return;
    }
    busy(byId("lookup-button"), async () => {
      try {
        glossary = glossary || (await get("glossary"));
      } catch (problem) {
        sayError(lookupStatus, problem);
        return;
      }
      const found = lookUp(glossary, query);
      lookupResult.replaceChildren(...found.slice(0, MAX_SHOWN).map((entry) => entryCard(entry, names)));
      if (found.length === 0) {
        say(lookupStatus, t("lookupNone", { query: query.trim() }));
      } else if (found.length > MAX_SHOWN) {
        say(lookupStatus, t("lookupMore", { shown: MAX_SHOWN, count: found.length }));
      } else {
        say(lookupStatus, t("lookupFound", { count: found.length }));
      }
    });
  });

  const codes = languages.map((language) => language.code);
  const from = byId("check-from");
  const to = byId("check-to");
  fillLanguages(from, codes, names, "en");
  fillLanguages(to, codes, names, "ru");
  const checkStatus = byId("check-status");
  const checkResult = byId("check-result");
  byId("check-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const source = byId("check-source").value;
    const translation = byId("check-translation").value;
    if (!source.trim() || !translation.trim()) {
      say(checkStatus, t("checkEmpty"), { error: true });
      return;
    }
    busy(byId("check-button"), async () => {
      say(checkStatus, t("working"));
      try {
        const checked = await post("glossary/check", { source, translation, from: from.value, to: to.value });
        checkResult.replaceChildren(
          element("p", { className: "verdict", textContent: t(checked.all_preferred ? "checkAllPreferred" : "checkNotAll") }),
          termList(checked.terms),
          element("h3", { className: "label", textContent: t("checkFixed") }),
          element("p", { className: "fixed", lang: to.value }, markTerms(checked.fixed, checked.terms)),
        );
        say(checkStatus, "");
      } catch (problem) {
        sayError(checkStatus, problem);
        if (problem.needsKey) {
          askForKey();
        }
      }
    });
  });
}
