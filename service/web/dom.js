// Small DOM helpers. Text from the server is only ever set as text (textContent), never
// parsed as HTML: a translated "<script>" stays letters on the screen.

import { t } from "./strings.js";

export function byId(id) {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`the page has no #${id}`);
  }
  return found;
}

/** A new element: ``properties`` are set on it (className, textContent, title, lang…), children appended. */
export function element(tag, properties = {}, children = []) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (name.startsWith("data-") || name.startsWith("aria-")) {
      made.setAttribute(name, value);
    } else {
      made[name] = value;
    }
  }
  for (const child of children) {
    made.append(child);
  }
  return made;
}

/** Puts the interface's strings into the page: data-text (content), data-label (aria-label), data-placeholder. */
export function applyStrings(root = document) {
  for (const node of root.querySelectorAll("[data-text]")) {
    node.textContent = t(node.dataset.text);
  }
  for (const node of root.querySelectorAll("[data-label]")) {
    node.setAttribute("aria-label", t(node.dataset.label));
  }
  for (const node of root.querySelectorAll("[data-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.placeholder));
  }
  document.title = t("pageTitle");
}

/** Says ``message`` in a live region (status, or an error that is announced at once). */
export function say(region, message, { error = false } = {}) {
  region.textContent = message;
  region.classList.toggle("error", error);
}

export function sayError(region, problem) {
  say(region, t("errorPrefix", { message: problem.message }), { error: true });
}

/**
 * Runs ``work`` with ``button`` marked busy; a second press meanwhile does nothing. The button is not
 * disabled: a disabled button loses the keyboard's focus, and the user their place in the form.
 */
export async function busy(button, work) {
  if (button.getAttribute("aria-busy") === "true") {
    return undefined;
  }
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.removeAttribute("aria-busy");
  }
}

/**
 * Copies ``text``; false if the browser refused. Plain text only: "copy as HTML" gives the markup
 * itself, for a newsletter tool's HTML field (and a rich-text copy would parse it in this page,
 * where the policy blocks its inline styles).
 */
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** ``text`` split by code points, as Python counts the offsets the API gives (an emoji is one, not two). */
export function codePoints(text) {
  return Array.from(text);
}

/**
 * ``text`` as nodes, the [start, end) code-point ranges of ``marks`` wrapped in <mark> elements
 * made by ``make(mark, text)``; overlapping ranges keep the first.
 */
export function marked(text, marks, make) {
  const chars = codePoints(text);
  const sorted = [...marks].sort((a, b) => a.start - b.start);
  const nodes = [];
  let at = 0;
  for (const mark of sorted) {
    if (mark.start < at || mark.end > chars.length || mark.end <= mark.start) {
      continue;
    }
    if (mark.start > at) {
      nodes.push(document.createTextNode(chars.slice(at, mark.start).join("")));
    }
    nodes.push(make(mark, chars.slice(mark.start, mark.end).join("")));
    at = mark.end;
  }
  if (at < chars.length) {
    nodes.push(document.createTextNode(chars.slice(at).join("")));
  }
  return nodes;
}

/** Every place ``needle`` stands in ``text``, as code-point ranges (case-insensitive). */
export function occurrences(text, needle) {
  const found = [];
  if (!needle) {
    return found;
  }
  const haystack = text.toLocaleLowerCase();
  const wanted = needle.toLocaleLowerCase();
  let from = 0;
  for (;;) {
    const index = haystack.indexOf(wanted, from);
    if (index < 0 || haystack.length !== text.length) {
      break; // lower-casing changed the length: no safe offsets, no marks
    }
    const start = codePoints(text.slice(0, index)).length;
    found.push({ start, end: start + codePoints(wanted).length });
    from = index + wanted.length;
  }
  return found;
}
