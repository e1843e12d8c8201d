/* Progressive enhancement of quiz forms (everything works without JavaScript):
   - answers are saved in the background when they change, so a dropped connection loses nothing
     (without JavaScript the "Save answers" button does the same);
   - ordering questions get "Move up" / "Move down" buttons that reorder the items and fill in the position
     selects to match, announced through a live region. */
(function () {
  "use strict";

  function autosave(form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    function save() {
      var data = new FormData(form);
      data.set("action", "save");
      // getAttribute: the buttons named "action" shadow form.action
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (status) {
          status.textContent = response.ok ? status.dataset.savedText || "" : "";
        }
      }).catch(function () { /* offline: the next change or the button tries again */ });
    }
    form.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    });
  }

  function ordering(list) {
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(live, list.nextSibling);

    function renumber() {
      var items = list.querySelectorAll(".ordering__item");
      items.forEach(function (item, index) {
        var select = item.querySelector("select");
        if (select) { select.value = String(index + 1); }
      });
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function button(label, direction) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button--secondary ordering__move";
      b.textContent = label;
      b.addEventListener("click", function () {
        var item = b.closest(".ordering__item");
        var other = direction < 0 ? item.previousElementSibling : item.nextElementSibling;
        if (!other) { return; }
        if (direction < 0) { list.insertBefore(item, other); } else { list.insertBefore(other, item); }
        renumber();
        b.focus();
        var position = Array.prototype.indexOf.call(list.children, item) + 1;
        live.textContent = (list.dataset.moved || "").replace("{position}", position);
      });
      return b;
    }

    // Show saved positions as the order of the list (items without a position stay at the end).
    var saved = Array.prototype.slice.call(list.querySelectorAll(".ordering__item"));
    saved.sort(function (a, b) {
      var pa = parseInt(a.querySelector("select").value, 10) || 999;
      var pb = parseInt(b.querySelector("select").value, 10) || 999;
      return pa - pb;
    }).forEach(function (item) { list.appendChild(item); });

    list.querySelectorAll(".ordering__item").forEach(function (item) {
      var label = item.querySelector("label");
      var name = label ? label.textContent : "";
      var up = button(list.dataset.moveUp || "↑", -1);
      var down = button(list.dataset.moveDown || "↓", 1);
      up.setAttribute("aria-label", (list.dataset.moveUp || "↑") + ": " + name);
      down.setAttribute("aria-label", (list.dataset.moveDown || "↓") + ": " + name);
      item.appendChild(up);
      item.appendChild(down);
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(autosave);
  document.querySelectorAll("[data-ordering]").forEach(ordering);
})();
