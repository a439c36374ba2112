// Tabs as WAI-ARIA's tabs pattern has them: one tab in the Tab order, arrow keys, Home and
// End move between tabs, Enter or Space (a button's own keys) or a click shows its panel.

export function setupTabs(tablist) {
  const tabs = Array.from(tablist.querySelectorAll("[role=tab]"));

  function select(chosen, { focus = true } = {}) {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) {
      chosen.focus();
    }
    history.replaceState(null, "", `#${chosen.id.replace(/^tab-/, "")}`);
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const index = tabs.indexOf(tab);
      const moves = {
        ArrowRight: (index + 1) % tabs.length,
        ArrowLeft: (index - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1,
      };
      if (event.key in moves) {
        event.preventDefault();
        select(tabs[moves[event.key]]);
      }
    });
  }
  const asked = tabs.find((tab) => `#${tab.id.replace(/^tab-/, "")}` === location.hash);
  if (asked) {
    select(asked, { focus: false });
  }
}
