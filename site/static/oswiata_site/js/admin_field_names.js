/*
 * Oświata JST — accessible names for two kinds of editor field the Wagtail admin leaves unnamed.
 *
 * 1. Draftail rich-text editors: the visible label points at the hidden input the editor replaces, so the
 *    contenteditable textbox screen readers reach has no name (wagtail/wagtail#14205, open).
 * 2. Simple StreamField blocks (a text or character block directly in a stream): the block's type is shown in
 *    the block's heading but no label is tied to the input (wagtail/wagtail#11179, open).
 *
 * 3. The page editor's minimap: its list scrolls but cannot take the focus, so a keyboard user cannot scroll it
 *    (axe: scrollable-region-focusable); it gets tabindex="0".
 *
 * Each unnamed field gets aria-labelledby pointing at the text a sighted editor reads as its label. Blocks
 * added later are handled too (a MutationObserver). Remove this file when Wagtail fixes both upstream.
 */
(function () {
  "use strict";
  let counter = 0;

  function hasName(el) {
    return el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby") || (el.labels && el.labels.length > 0);
  }

  function idOf(el) {
    if (!el.id) {
      counter += 1;
      el.id = "oswiata-field-name-" + counter;
    }
    return el.id;
  }

  function visibleLabel(el) {
    const field = el.closest("[data-field]");
    const hidden = field && field.querySelector("input[type=hidden][id]");
    if (hidden) {
      const label = document.querySelector('label[for="' + CSS.escape(hidden.id) + '"]');
      if (label) return label;
    }
    const wrapper = el.closest("[data-field-wrapper]");
    const fieldLabel = wrapper && wrapper.querySelector("label.w-field__label");
    if (fieldLabel) return fieldLabel;
    const panel = el.closest("section.w-panel");
    return panel && panel.querySelector("[data-panel-heading] .c-sf-block__type");
  }

  function nameFields(root) {
    const fields = root.querySelectorAll(
      '[role="textbox"][contenteditable="true"], [data-streamfield-child] input:not([type=hidden]), ' +
        "[data-streamfield-child] textarea, [data-streamfield-child] select"
    );
    fields.forEach(function (field) {
      if (hasName(field)) return;
      const label = visibleLabel(field);
      if (label && label.textContent.trim()) field.setAttribute("aria-labelledby", idOf(label));
    });
  }

  function focusableScrollRegions(root) {
    root.querySelectorAll(".w-minimap__list:not([tabindex])").forEach(function (list) {
      list.setAttribute("tabindex", "0");
    });
  }

  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      nameFields(document);
      focusableScrollRegions(document);
    });
  }

  function start() {
    nameFields(document);
    focusableScrollRegions(document);
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
