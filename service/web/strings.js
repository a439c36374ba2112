// Every string the page shows, in one place, so that the interface can be translated:
// copy this object, translate its values, keep the {placeholders}. index.html names
// these keys in data-text, data-label and data-placeholder attributes; the scripts
// name them in t("key", {values}).

export const STRINGS = {
  pageTitle: "triglot — translate, summarise, keep the glossary",
  appName: "triglot",
  tagline: "English · 中文 · Русский, offline, with the domain glossary",
  skipToContent: "Skip to the content",
  sections: "Sections",
  tabTranslate: "Translate",
  tabArticle: "Article",
  tabGlossary: "Glossary",

  keyLegend: "API key",
  keyLabel: "API key for this server",
  keyHelp: "This server asks for a key. It is kept in this browser tab only.",
  keySave: "Use this key",
  keySaved: "The key is set for this tab.",
  keyNeeded: "This server needs an API key: enter it above.",

  // Translate
  translateHeading: "Translate text",
  textLabel: "Text to translate",
  textPlaceholder: "Type or paste text",
  sourceLabel: "From",
  targetLabel: "To",
  auto: "Auto-detect",
  swap: "Swap languages",
  translate: "Translate",
  htmlMode: "The text is HTML (tags kept)",
  charCount: "{count} / {limit} characters",
  resultLabel: "Translation",
  resultEmpty: "The translation appears here.",
  copy: "Copy the translation",
  copied: "Copied.",
  copyFailed: "The browser did not allow copying; select the text and copy it.",
  detected: "Detected: {language} ({confidence} %)",
  undetermined: "The language could not be told; the text is left as it is.",
  textEmpty: "Type or paste some text to translate.",
  translating: "Translating…",
  translated: "Translated to {language}.",
  termsHeading: "Glossary terms",
  noTerms: "No glossary term in this text.",
  reportFailed: "No glossary report for this translation: {message}",
  termLine: "{source} → {expected}",
  statusOk: "ok",
  statusFixed: "fixed",
  statusMissing: "missing",
  statusOkHelp: "the preferred term is in the translation",
  statusFixedHelp: "a variant was replaced by the preferred term",
  statusMissingHelp: "the term is not in the translation: check it",
  termTitle: "{source} → {expected}: {status} ({help})",

  fileLegend: "Translate a file",
  fileLabel: "File ({formats})",
  fileButton: "Translate the file",
  fileTranslating: "Translating the file…",
  fileDone: "The file is translated.",
  fileDownload: "Download {name}",
  fileNone: "Choose a file first.",

  // Article
  articleHeading: "Summarise an article",
  articleLabel: "Article text (a headline on the first line becomes its title)",
  articlePlaceholder: "Paste an article",
  articleFile: "Or open a text file (.txt)",
  articleName: "Source, shown in the newsletter (optional)",
  articleUrl: "Link to the article (optional)",
  articleSentences: "Sentences in the summary",
  articleButton: "Summarise and translate",
  articleEmpty: "Paste an article or open a text file first.",
  articleFileTooBig: "{name} is larger than 1 MB; open the article's text only.",
  pickedSentence: "Summary sentence {number}",
  articleWorking: "Summarising and translating…",
  articleDone: "Done: a summary of {count} sentences.",
  articleFileRead: "Read {name}.",
  articleLanguage: "Language: {language} ({confidence} %)",
  articleOriginal: "The article, with the summary's sentences marked",
  articleSummary: "Summary",
  articleTranslations: "The summary in the other languages",
  copyNewsletter: "Copy as HTML for the newsletter",
  copiedNewsletter: "The newsletter block is copied: paste it into the newsletter.",
  showNewsletter: "Show the newsletter HTML",
  newsletterLabel: "Newsletter HTML",

  // Glossary
  lookupHeading: "Look a term up",
  lookupLabel: "Term in English, Chinese or Russian",
  lookupButton: "Look up",
  lookupNone: "No glossary entry matches “{query}”.",
  lookupFound: "{count} entries found.",
  lookupMore: "Showing the first {shown} of {count} entries; type more of the term.",
  columnVariants: "Also accepted",
  columnNote: "Note",
  checkHeading: "Check a translation",
  checkSource: "Source text",
  checkTranslation: "Its translation",
  checkFrom: "Source language",
  checkTo: "Translation's language",
  checkButton: "Check the terms",
  checkEmpty: "Give both the source text and its translation.",
  checkAllPreferred: "Every term is the preferred one.",
  checkNotAll: "Some terms need attention.",
  checkFixed: "With the preferred terms",

  working: "Working…",
  errorPrefix: "Error: {message}",
  errorNetwork: "The server did not answer; is it running?",
};

/** The string ``key`` with each {name} replaced by values[name]. */
export function t(key, values = {}) {
  const template = STRINGS[key];
  if (template === undefined) {
    throw new Error(`no interface string named ${key}`);
  }
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
