// The Translate section: POST /translate, then POST /glossary/check for the term report of
// the translation; a file through POST /translate_file and its download link.

import { post, postForm } from "./api.js";
import { busy, byId, copy, element, say, sayError } from "./dom.js";
import { t } from "./strings.js";
import { markTerms, termList } from "./terms.js";

const AUTO = "auto";

/** Fills ``select`` with ``codes`` (named by ``names``), keeping ``wanted`` selected when it is one. */
export function fillLanguages(select, codes, names, wanted, extra = []) {
  select.replaceChildren(
    ...extra.map(([value, label]) => element("option", { value, textContent: label })),
    ...codes.map((code) => element("option", { value: code, textContent: names[code] || code })),
  );
  const values = Array.from(select.options, (option) => option.value);
  select.value = values.includes(wanted) ? wanted : values[0] || "";
}

export function percent(confidence) {
  return Math.round(confidence * 10) / 10;
}

export function setupTranslate({ settings, languages, names, askForKey }) {
  const form = byId("translate-form");
  const text = byId("text");
  const source = byId("source");
  const target = byId("target");
  const htmlMode = byId("html-mode");
  const result = byId("result");
  const detected = byId("detected");
  const status = byId("translate-status");
  const terms = byId("terms");
  const copyButton = byId("copy");
  const counter = byId("char-count");
  const targetsOf = Object.fromEntries(languages.map((language) => [language.code, language.targets]));
  const allCodes = languages.map((language) => language.code);
  let lastDetected = null;
  let lastTranslation = "";

  function fillTargets(wanted) {
    const codes = source.value === AUTO ? allCodes : targetsOf[source.value] || [];
    fillLanguages(target, codes, names, wanted);
  }

  fillLanguages(source, allCodes, names, settings.language.source.code, [[AUTO, t("auto")]]);
  fillTargets(settings.language.target.code);
  source.addEventListener("change", () => fillTargets(target.value));

  text.maxLength = settings.charLimit;
  const count = () => {
    counter.textContent = t("charCount", { count: text.value.length, limit: settings.charLimit });
  };
  text.addEventListener("input", count);
  count();
  // Ctrl+Enter (or ⌘+Enter) in the text box translates; Enter alone is a new line.
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  /** The translation, its terms marked by ``report``; no report yet (null): the list waits empty. */
  function show(translation, targetCode, report) {
    lastTranslation = translation;
    result.replaceChildren(
      element("p", { className: "translation", lang: targetCode }, markTerms(translation, report || [])),
    );
    terms.replaceChildren(...(report ? [termList(report)] : []));
    copyButton.disabled = false;
  }

  function showDetected(found) {
    lastDetected = found ? found.language : null;
    if (!found) {
      detected.textContent = "";
    } else if (!(found.language in names)) {
      detected.textContent = t("undetermined");
    } else {
      detected.textContent = t("detected", { language: names[found.language], confidence: percent(found.confidence) });
    }
  }

  async function report(original, translation, from, to) {
    if (!(from in names) || from === to) {
      return []; // an undetermined language has no glossary side
    }
    const checked = await post("glossary/check", { source: original, translation, from, to });
    return checked.terms;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const original = text.value;
    if (!original.trim()) {
      say(status, t("textEmpty"), { error: true });
      text.focus();
      return;
    }
    const request = { q: original, source: source.value, target: target.value, format: htmlMode.checked ? "html" : "text" };
    busy(byId("translate"), async () => {
      say(status, t("translating"));
      try {
        const answer = await post("translate", request);
        showDetected(request.source === AUTO ? answer.detectedLanguage : null);
        const from = request.source === AUTO ? answer.detectedLanguage.language : request.source;
        show(answer.translatedText, request.target, null);
        try {
          show(answer.translatedText, request.target, await report(original, answer.translatedText, from, request.target));
        } catch (problem) {
          // The translation stands without its report: say why the report is missing, beside it.
          terms.replaceChildren(element("p", { className: "error", textContent: t("reportFailed", { message: problem.message }) }));
        }
        say(status, t("translated", { language: names[request.target] || request.target }));
      } catch (problem) {
        sayError(status, problem);
        if (problem.needsKey) {
          askForKey();
        }
      }
    });
  });

  byId("swap").addEventListener("click", () => {
    const from = source.value === AUTO ? lastDetected : source.value;
    const to = target.value;
    const newSource = to;
    const newTarget = from && from in names && from !== to ? from : allCodes.find((code) => code !== to);
    source.value = newSource;
    fillTargets(newTarget);
    if (lastTranslation) {
      text.value = lastTranslation;
      count();
    }
  });

  copyButton.addEventListener("click", async () => {
    say(status, (await copy(lastTranslation)) ? t("copied") : t("copyFailed"), { error: false });
  });

  setupFiles({ settings, source, target, askForKey });
}

function setupFiles({ settings, source, target, askForKey }) {
  const form = byId("file-form");
  if (!settings.filesTranslation) {
    return; // this server translates no files: the form stays hidden
  }
  const input = byId("file");
  const status = byId("file-status");
  const link = byId("file-result");
  const formats = settings.supportedFilesFormat;
  input.accept = formats.join(",");
  byId("file-label").textContent = t("fileLabel", { formats: formats.join(", ") });
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) {
      say(status, t("fileNone"), { error: true });
      input.focus();
      return;
    }
    busy(byId("file-button"), async () => {
      say(status, t("fileTranslating"));
      link.replaceChildren();
      try {
        const answer = await postForm("translate_file", { file, source: source.value, target: target.value });
        const url = new URL(answer.translatedFileUrl, location.href);
        // The server's name is a token and the file's own name ("<token>.note_ru.txt"): save it as the latter.
        const served = decodeURIComponent(url.pathname.split("/").pop() || "");
        const name = served.replace(/^[0-9a-f]{16,}\./i, "") || file.name;
        link.replaceChildren(
          element("a", { href: url.href, download: name, id: "file-download", textContent: t("fileDownload", { name }) }),
        );
        say(status, t("fileDone"));
      } catch (problem) {
        sayError(status, problem);
        if (problem.needsKey) {
          askForKey();
        }
      }
    });
  });
}
