/* @mention autocomplete for forum post forms (progressive enhancement: without it, type @Handle by hand).
 * The form carries data-mentions-url; typing "@" and two letters asks the server for matching members of the
 * forum and lists them as buttons under the text area; choosing one inserts "@Handle ". */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-mentions-url]");
  Array.prototype.forEach.call(forms, function (form) {
    var url = form.getAttribute("data-mentions-url");
    var area = form.querySelector("textarea.forum-body");
    var box = form.querySelector(".mention-suggestions");
    if (!url || !area || !box) { return; }
    box.setAttribute("role", "region");
    box.setAttribute("aria-live", "polite");
    box.setAttribute("aria-label", area.getAttribute("data-mentions-label") || "@");
    var timer = null;
    var lastQuery = "";

    function currentMention() {
      var upto = area.value.slice(0, area.selectionStart);
      var match = /(^|[^\w.@-])@([\w.\-]{2,40})$/.exec(upto);
      return match ? { query: match[2], start: upto.length - match[2].length - 1 } : null;
    }

    function hide() { box.hidden = true; box.textContent = ""; }

    function show(results, mention) {
      box.textContent = "";
      if (!results.length) { hide(); return; }
      var list = document.createElement("ul");
      results.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = person.name + " (@" + person.handle + ")";
        button.addEventListener("click", function () {
          var before = area.value.slice(0, mention.start);
          var after = area.value.slice(area.selectionStart);
          var insert = "@" + person.handle + " ";
          area.value = before + insert + after;
          var caret = before.length + insert.length;
          area.focus();
          area.setSelectionRange(caret, caret);
          hide();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      box.appendChild(list);
      box.hidden = false;
    }

    area.addEventListener("input", function () {
      var mention = currentMention();
      if (!mention) { hide(); return; }
      if (mention.query === lastQuery) { return; }
      lastQuery = mention.query;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(mention.query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { show(data.results || [], mention); })
          .catch(hide);
      }, 200);
    });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
      if (event.key === "ArrowDown" && !box.hidden) {
        var first = box.querySelector("button");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
  });
})();
