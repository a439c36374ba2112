// The page's start: the strings, the tabs, the key, then each section with what the server
// says it serves (/frontend/settings, /languages).

import { apiKey, get, setApiKey } from "./api.js";
import { setupArticle } from "./article.js";
import { applyStrings, byId, say, sayError } from "./dom.js";
import { setupGlossary } from "./glossary.js";
import { t } from "./strings.js";
import { setupTabs } from "./tabs.js";
import { setupTranslate } from "./translate.js";

function setupKey(settings) {
  const form = byId("key-form");
  const input = byId("key-input");
  const status = byId("key-status");
  form.hidden = !settings.apiKeys;
  input.value = apiKey();
  if (settings.keyRequired && !apiKey()) {
    say(status, t("keyNeeded"));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    say(status, t("keySaved"));
  });
  // Called by a section whose request was refused for want of a (right) key.
  return function askForKey() {
    form.hidden = false;
    say(status, t("keyNeeded"), { error: true });
    input.focus();
  };
}

async function start() {
  applyStrings();
  setupTabs(byId("main").parentElement.querySelector("[role=tablist]"));
  const problems = byId("translate-status");
  let settings;
  let languages;
  try {
    [settings, languages] = await Promise.all([get("frontend/settings"), get("languages")]);
  } catch (problem) {
    sayError(problems, problem);
    return;
  }
  const names = Object.fromEntries(languages.map((language) => [language.code, language.name]));
  const context = { settings, languages, names, askForKey: setupKey(settings) };
  setupTranslate(context);
  setupArticle(context);
  await setupGlossary(context);
  document.body.dataset.ready = "true"; // for tests and scripts: every section is wired
}

start();
