/* JST picker: turns <input data-jst-picker> into a WAI-ARIA 1.2 combobox with a listbox popup.
 *
 * Progressive enhancement: without this script the input is a plain text field and the server cleans a
 * typed name, TERYT code or full label. With it, typing asks the registry search (JSON) for matches; the
 * person chooses one with the arrow keys and Enter (or a click), and the input gets the unit's full label,
 * which the server cleans to exactly that unit. All messages come from data attributes rendered on the
 * server (gettext), so the script holds no UI text of its own.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MIN_LENGTH = 2;
  var counter = 0;

  function squash(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function Picker(input) {
    this.input = input;
    this.url = input.getAttribute("data-jst-search-url");
    this.messages = {
      none: input.getAttribute("data-jst-msg-none") || "",
      short: input.getAttribute("data-jst-msg-short") || "",
      error: input.getAttribute("data-jst-msg-error") || "",
      chosen: input.getAttribute("data-jst-msg-chosen") || "{label}"
    };
    try {
      this.counts = JSON.parse(input.getAttribute("data-jst-msg-counts") || "{}");
    } catch (e) {
      this.counts = {};
    }
    var lang = document.documentElement.getAttribute("lang") || "en";
    this.plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.sequence = 0;
    this.lastQuery = null;
    this.build();
    this.bind();
  }

  Picker.prototype.build = function () {
    var input = this.input;
    counter += 1;
    if (!input.id) {
      input.id = "jst-picker-" + counter;
    }
    var wrapper = document.createElement("div");
    wrapper.className = "jst-picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var listbox = document.createElement("ul");
    listbox.id = input.id + "-listbox";
    listbox.className = "jst-picker__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.getAttribute("data-jst-list-label") || "");
    listbox.hidden = true;
    wrapper.appendChild(listbox);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-haspopup", "listbox");

    this.listbox = listbox;
    this.status = status;
  };

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      self.schedule();
    });
    this.input.addEventListener("keydown", function (event) {
      self.onKeyDown(event);
    });
    this.input.addEventListener("blur", function () {
      self.close();
    });
    // Keep the focus in the input while an option is clicked, so the input never blurs mid-choice.
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        self.choose(Number(option.getAttribute("data-index")));
      }
    });
  };

  Picker.prototype.announce = function (text) {
    var status = this.status;
    // Clear first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  };

  Picker.prototype.countMessage = function (count) {
    if (!count) {
      return this.messages.none;
    }
    var category = this.plural ? this.plural.select(count) : count === 1 ? "one" : "other";
    var template = this.counts[category] || this.counts.other || this.counts.many || "";
    return template.replace("{count}", String(count));
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.search(false);
    }, DEBOUNCE_MS);
  };

  Picker.prototype.search = function (openOnResults) {
    var self = this;
    var query = squash(this.input.value);
    if (query.replace(/ /g, "").length < MIN_LENGTH) {
      this.lastQuery = null;
      this.results = [];
      this.render();
      this.close();
      if (openOnResults) {
        this.announce(this.messages.short);
      }
      return;
    }
    if (query === this.lastQuery) {
      if (openOnResults) {
        this.open(0);
      }
      return;
    }
    if (this.controller) {
      this.controller.abort();
    }
    this.controller = window.AbortController ? new AbortController() : null;
    this.sequence += 1;
    var sequence = this.sequence;
    var url = new URL(this.url, window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "json");
    window
      .fetch(url.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller ? this.controller.signal : undefined
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (sequence !== self.sequence) {
          return;
        }
        self.lastQuery = query;
        self.results = data.results || [];
        self.render();
        if (self.results.length) {
          self.open(openOnResults ? 0 : -1);
        } else {
          self.close();
        }
        self.announce(self.countMessage(self.results.length));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.results = [];
        self.render();
        self.close();
        self.announce(self.messages.error);
      });
  };

  Picker.prototype.render = function () {
    var listbox = this.listbox;
    while (listbox.firstChild) {
      listbox.removeChild(listbox.firstChild);
    }
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    for (var i = 0; i < this.results.length; i += 1) {
      var unit = this.results[i];
      var option = document.createElement("li");
      option.id = listbox.id + "-option-" + i;
      option.className = "jst-picker__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(i));
      var label = document.createElement("span");
      label.className = "jst-picker__label";
      label.textContent = unit.label;
      var code = document.createElement("span");
      code.className = "jst-picker__code";
      code.textContent = "TERYT " + unit.code;
      option.appendChild(label);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(code);
      listbox.appendChild(option);
    }
  };

  Picker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Picker.prototype.open = function (index) {
    if (!this.results.length) {
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.setActive(index);
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Picker.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role='option']");
    for (var i = 0; i < options.length; i += 1) {
      var current = i === index;
      options[i].setAttribute("aria-selected", current ? "true" : "false");
      options[i].classList.toggle("is-active", current);
    }
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      if (options[index].scrollIntoView) {
        options[index].scrollIntoView({ block: "nearest" });
      }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Picker.prototype.move = function (step) {
    var count = this.results.length;
    if (!count) {
      return;
    }
    if (!this.isOpen()) {
      this.open(step > 0 ? 0 : count - 1);
      return;
    }
    var next = this.active + step;
    if (next >= count) {
      next = 0;
    } else if (next < 0) {
      next = count - 1;
    }
    this.setActive(next);
  };

  Picker.prototype.choose = function (index) {
    var unit = this.results[index];
    if (!unit) {
      return;
    }
    this.input.value = unit.label;
    this.lastQuery = squash(unit.label);
    window.clearTimeout(this.timer);
    this.close();
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
    this.announce(this.messages.chosen.replace("{label}", unit.label + " (TERYT " + unit.code + ")"));
    this.input.focus();
  };

  Picker.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (event.altKey) {
          if (this.results.length) {
            this.open(-1);
          } else {
            this.search(false);
          }
        } else if (this.results.length && squash(this.input.value) === this.lastQuery) {
          this.move(1);
        } else {
          window.clearTimeout(this.timer);
          this.search(true);
        }
        break;
      case "ArrowUp":
      case "Up":
        if (this.results.length) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.results = [];
          this.lastQuery = null;
          this.render();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function init(root) {
    var inputs = (root || document).querySelectorAll("input[data-jst-picker]");
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if (input.getAttribute("data-jst-picker-ready") || !input.getAttribute("data-jst-search-url")) {
        continue;
      }
      if (!window.fetch || !window.URL) {
        continue; // an old browser keeps the plain text field, which works on its own
      }
      input.setAttribute("data-jst-picker-ready", "true");
      new Picker(input);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  window.jstPicker = { init: init };
})();
