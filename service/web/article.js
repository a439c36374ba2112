// The Article section: POST /process with newsletter_html, then the article with its summary's
// sentences marked (by the offsets /process gives), the summary in every other language with
// its glossary report, and the digest's block for this article to copy into a newsletter.

import { post } from "./api.js";
import { busy, byId, copy, element, marked, say, sayError } from "./dom.js";
import { t } from "./strings.js";
import { markTerms, termList } from "./terms.js";
import { percent } from "./translate.js";

// An article is text: a file much larger than the server takes would only be refused there.
const MAX_FILE_BYTES = 1024 * 1024;

export function setupArticle({ languages, names, askForKey }) {
  const form = byId("article-form");
  const text = byId("article-text");
  const file = byId("article-file");
  const nameField = byId("article-name");
  const urlField = byId("article-url");
  const sentences = byId("article-sentences");
  const status = byId("article-status");
  const output = byId("article-result");
  const newsletter = byId("newsletter-html");
  const newsletterStatus = byId("newsletter-status");
  const targets = languages.map((language) => language.code);

  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) {
      return;
    }
    if (chosen.size > MAX_FILE_BYTES) {
      say(status, t("articleFileTooBig", { name: chosen.name }), { error: true });
      return;
    }
    text.value = await chosen.text();
    if (!nameField.value) {
      nameField.value = chosen.name;
    }
    say(status, t("articleFileRead", { name: chosen.name }));
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const article = text.value;
    if (!article.trim()) {
      say(status, t("articleEmpty"), { error: true });
      text.focus();
      return;
    }
    const request = { text: article, targets, newsletter_html: true, name: nameField.value.trim() };
    if (urlField.value.trim()) {
      request.url = urlField.value.trim();
    }
    if (sentences.value) {
      request.sentences = Number(sentences.value);
    }
    busy(byId("article-button"), async () => {
      say(status, t("articleWorking"));
      try {
        const processed = await post("process", request);
        show(article, processed);
        say(status, t("articleDone", { count: processed.summary.sentences.length }));
      } catch (problem) {
        sayError(status, problem);
        if (problem.needsKey) {
          askForKey();
        }
      }
    });
  });

  function show(article, processed) {
    const language = processed.summary.language;
    byId("article-language").textContent = t("articleLanguage", {
      language: names[language] || language,
      confidence: percent(processed.detection.confidence * 100),
    });
    const picked = processed.summary.sentences.map((sentence, index) => ({ ...sentence, index }));
    const original = byId("article-original");
    original.lang = language;
    original.replaceChildren(
      ...marked(article, picked, (sentence, shown) =>
        element("mark", {
          className: "picked",
          title: t("pickedSentence", { number: sentence.index + 1 }),
          textContent: shown,
          "data-sentence": String(sentence.index),
        }),
      ),
    );
    const title = byId("article-title");
    title.lang = language;
    title.textContent = processed.title || "";
    title.hidden = !processed.title;
    const summary = byId("article-summary");
    summary.lang = language;
    summary.textContent = processed.summary.summary;
    byId("article-translations").replaceChildren(
      ...Object.entries(processed.translations).map(([code, done]) => translation(code, done)),
    );
    newsletter.value = processed.newsletter_html || "";
    say(newsletterStatus, "");
    output.hidden = false;
  }

  function translation(code, done) {
    return element("article", { className: "translated", lang: code, "data-language": code }, [
      element("h4", { textContent: names[code] || code, lang: "en" }),
      ...(done.title ? [element("p", { className: "title", textContent: done.title })] : []),
      element("p", { className: "summary" }, markTerms(done.summary, done.terms)),
      element("div", { lang: "en" }, [termList(done.terms)]),
    ]);
  }

  byId("copy-newsletter").addEventListener("click", async () => {
    const html = newsletter.value;
    const copied = await copy(html);
    say(newsletterStatus, copied ? t("copiedNewsletter") : t("copyFailed"), { error: !copied });
  });
}
