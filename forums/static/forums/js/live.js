/* Live topic page (progressive enhancement: without it the page, the reply form and pagination work as plain HTML).
 *
 * Contract (DESIGN.md, "Real-time forums"): the socket delivers at most once, so the client keeps the last seq
 * it saw (data-last-seq, rendered by the topic view) and asks {"type": "resync", "after": lastSeq} on every
 * hello (first connect and each reconnect) and whenever an event skips a number. Posts are de-duplicated by id:
 * updated in place when present, appended when new (only on the last page), hidden when hidden.
 * Replies go over the socket with a client_msg_id (the same id on a retry, so nothing is posted twice); when the
 * socket is not open, or no answer comes, the form is submitted normally with that same id.
 * Only the server's sanitized body_html is ever assigned to innerHTML; everything else is text.
 */
(function () {
  "use strict";
  var box = document.querySelector(".forum-live[data-live-socket]");
  var list = document.querySelector(".posts[data-topic-id]");
  if (!box || !list || !window.WebSocket || !window.JSON || !window.OswiataSocket) { return; }

  var label = function (name) { return box.getAttribute("data-label-" + name) || ""; };
  var lastSeq = parseInt(box.getAttribute("data-last-seq"), 10) || 0;
  var readTo = parseInt(box.getAttribute("data-read-to"), 10) || 0;
  var reportedRead = 0;
  var readTimer = null;
  var onLastPage = box.getAttribute("data-on-last-page") === "1";
  var presence = box.querySelector(".forum-live__presence");
  var typingLine = box.querySelector(".forum-live__typing");
  var announcer = box.querySelector(".forum-live__announce");
  var client = null; // the shared socket client (oswiata_kit/socket.js): reconnects, final close codes
  var resyncing = false;
  var pingTimer = null;
  var typingTimer = null;
  var ACK_TIMEOUT_MS = 10000;

  function send(message) {
    return client ? client.send(message) : false;
  }

  function announce(text) {
    window.OswiataSocket.announce(announcer, text);
  }

  function newUuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- posts -----------------------------------------------------------------------------------------

  function authorName(post) {
    if (!post.author_id) { return label("former"); }
    return post.author || label("participant");
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso; }
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return two(date.getDate()) + "." + two(date.getMonth() + 1) + "." + date.getFullYear() + " " +
      two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function hiddenNotice() {
    var notice = document.createElement("p");
    notice.className = "post__hidden";
    notice.textContent = label("hidden");
    return notice;
  }

  function buildArticle(post) {
    var article = document.createElement("article");
    article.className = "post";
    article.id = "post-" + post.id;
    article.setAttribute("aria-labelledby", "post-" + post.id + "-author");
    var header = document.createElement("header");
    header.className = "post__header";
    var heading = document.createElement("h2");
    heading.className = "post__author";
    heading.id = "post-" + post.id + "-author";
    heading.textContent = authorName(post);
    var meta = document.createElement("p");
    meta.className = "meta";
    var link = document.createElement("a");
    link.href = post.url;
    var time = document.createElement("time");
    time.setAttribute("datetime", post.created_at);
    time.textContent = formatTime(post.created_at);
    link.appendChild(time);
    meta.appendChild(link);
    header.appendChild(heading);
    header.appendChild(meta);
    article.appendChild(header);
    var body = document.createElement("div");
    body.className = "post__body";
    article.appendChild(body);
    return article;
  }

  function fillBody(article, post) {
    var body = article.querySelector(".post__body");
    if (post.hidden) {
      article.classList.add("post--hidden");
      Array.prototype.forEach.call(article.querySelectorAll(".post__body, .post__attachments, .post__actions"), function (node) {
        node.parentNode.removeChild(node);
      });
      if (!article.querySelector(".post__hidden")) { article.appendChild(hiddenNotice()); }
      return;
    }
    if (article.classList.contains("post--hidden")) {
      // Restored: the server-rendered actions are gone; the body comes back from the server's sanitized HTML.
      article.classList.remove("post--hidden");
      var notice = article.querySelector(".post__hidden");
      if (notice) { notice.parentNode.removeChild(notice); }
    }
    if (!body) {
      body = document.createElement("div");
      body.className = "post__body";
      article.appendChild(body);
    }
    body.innerHTML = post.body_html; // sanitized on the server (nh3 allow-list); the only innerHTML here
  }

  function applyPost(post) {
    var article = document.getElementById("post-" + post.id);
    var known = article ? parseInt(article.getAttribute("data-changed-seq"), 10) || 0 : 0;
    if (article && post.changed_seq <= known) { return false; }
    if (!article) {
      if (!onLastPage) {
        if (!post.hidden) { announce(label("new-post-elsewhere")); }
        return true;
      }
      article = buildArticle(post);
      list.appendChild(article);
      if (post.seq > readTo) { readTo = post.seq; reportRead(); }
      fillBody(article, post);
      article.setAttribute("data-changed-seq", String(post.changed_seq));
      if (!post.hidden) { announce(label("new-post") + " " + authorName(post)); }
      return true;
    }
    fillBody(article, post);
    article.setAttribute("data-changed-seq", String(post.changed_seq));
    return true;
  }

  // --- messages ----------------------------------------------------------------------------------------

  var seenWhileResyncing = 0;

  function resync() {
    resyncing = send({ type: "resync", after: lastSeq });
  }

  function onEvent(message) {
    if (message.seq <= lastSeq) { return; }
    if (resyncing) {
      // The answer may have been made before this event: remember it and ask again if the answer stops short.
      seenWhileResyncing = Math.max(seenWhileResyncing, message.seq);
      return;
    }
    if (message.seq > lastSeq + 1) {
      resync();
      return;
    }
    if (message.post) {
      var isNew = !document.getElementById("post-" + message.post.id);
      applyPost(message.post);
      if (!isNew && message.type === "post.edited") { announce(label("updated")); }
    }
    lastSeq = message.seq;
  }

  function onResync(message) {
    (message.posts || []).forEach(applyPost);
    if (message.last_seq > lastSeq) { lastSeq = message.last_seq; }
    resyncing = false;
    if (!message.complete || seenWhileResyncing > lastSeq) { resync(); }
    seenWhileResyncing = 0;
  }

  function onTopicState(topic) {
    // A moderator closed or reopened the topic: the reply form follows (the server refuses replies anyway).
    if (!topic) { return; }
    var section = document.querySelector("section.reply");
    var closedNote = document.querySelector("[data-topic-closed-live]");
    if (topic.locked) {
      if (section && !section.hidden) { section.hidden = true; announce(label("closed")); }
      if (!closedNote && label("closed")) {
        closedNote = document.createElement("p");
        closedNote.className = "notice";
        closedNote.setAttribute("data-topic-closed-live", "");
        closedNote.textContent = label("closed");
        list.parentNode.insertBefore(closedNote, list.nextSibling);
      }
    } else {
      if (section && section.hidden) { section.hidden = false; announce(label("reopened")); }
      if (closedNote) { closedNote.remove(); }
    }
  }

  // The read mark moves over the socket (a message, not a GET) while the page is in view: the posts shown on
  // load, then each one that arrives live. The "mark as read" button is for browsers without JavaScript.
  function reportRead() {
    window.clearTimeout(readTimer);
    readTimer = window.setTimeout(function () {
      if (document.visibilityState === "hidden" || readTo <= reportedRead) { return; }
      if (send({ type: "read", seq: readTo })) {
        reportedRead = readTo;
        var form = document.querySelector("[data-read-form]");
        if (form) { form.remove(); }
      }
    }, 1500);
  }

  function onPresence(readers, count) {
    if (!presence) { return; }
    var text = readers && readers.length ? label("readers") + " " + readers.join(", ") : "";
    var more = (count || 0) - (readers ? readers.length : 0);
    if (text && more > 0) { text += " " + label("others").replace("%(count)s", String(more)); }
    presence.textContent = text;
  }

  function onTyping(name) {
    if (!typingLine) { return; }
    typingLine.textContent = name + " " + label("typing");
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { typingLine.textContent = ""; }, 5000);
  }

  function onMessage(message) {
    switch (message.type) {
      case "hello":
        client.ready();
        box.hidden = false;
        resync();
        reportRead();
        break;
      case "post.created":
      case "post.edited":
      case "post.hidden":
      case "post.restored":
      case "gap":
        onEvent(message);
        break;
      case "resync": onResync(message); break;
      case "topic": onTopicState(message.topic); break;
      case "presence": onPresence(message.readers, message.count); break;
      case "typing": onTyping(message.name); break;
      case "post.ack": reply.onAck(message); break;
      case "error": reply.onError(message); break;
      default: break;
    }
  }

  // --- connection ----------------------------------------------------------------------------------------

  function connect() {
    // Reconnects with jittered exponential waits (0.5 s, 1 s, 2 s, … up to 30 s) until a final close code.
    client = window.OswiataSocket.connect(box.getAttribute("data-live-socket"), {
      onMessage: onMessage,
      onOpen: function () {
        pingTimer = window.setInterval(function () { send({ type: "ping" }); }, 5 * 60 * 1000);
      },
      onClose: function () {
        resyncing = false;
        window.clearInterval(pingTimer);
        reply.onDisconnect();
      },
      onFinal: function () { box.hidden = true; }
    });
  }

  // --- the reply form --------------------------------------------------------------------------------------

  var reply = (function () {
    var form = document.querySelector("section.reply form");
    var pending = null; // {id, timer}
    var noop = { onAck: function () {}, onError: function () {}, onDisconnect: function () {} };
    if (!form) { return noop; }
    var area = form.querySelector("textarea[name=body]");
    var idField = form.querySelector("input[name=client_msg_id]");
    var quotedField = form.querySelector("input[name=quoted_post]");
    var filesField = form.querySelector("input[type=file]");
    var submitButton = form.querySelector("button[type=submit]");
    var errorBox = null;
    if (!area || !idField) { return noop; }

    function showError(text) {
      if (!errorBox) {
        errorBox = document.createElement("div");
        errorBox.className = "error-summary";
        errorBox.setAttribute("role", "alert");
        errorBox.setAttribute("tabindex", "-1");
        form.parentNode.insertBefore(errorBox, form);
      }
      errorBox.textContent = "";
      var paragraph = document.createElement("p");
      paragraph.textContent = text;
      errorBox.appendChild(paragraph);
      errorBox.hidden = false;
      errorBox.id = "reply-live-error";
      area.setAttribute("aria-invalid", "true");
      // The field is described by its error, as the server-rendered form does.
      var described = (area.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (described.indexOf(errorBox.id) < 0) { described.push(errorBox.id); }
      area.setAttribute("aria-describedby", described.join(" "));
    }

    function clearError() {
      if (errorBox) { errorBox.hidden = true; errorBox.textContent = ""; }
      area.removeAttribute("aria-invalid");
      var described = (area.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== "reply-live-error";
      });
      if (described.length) { area.setAttribute("aria-describedby", described.join(" ")); }
      else { area.removeAttribute("aria-describedby"); }
    }

    function finish() {
      if (pending) { window.clearTimeout(pending.timer); }
      pending = null;
      if (submitButton) { submitButton.disabled = false; }
    }

    function fallBack() {
      // The normal POST with the same client_msg_id: if the socket post went through, the server finds it.
      finish();
      form.submit();
    }

    form.addEventListener("submit", function (event) {
      if (pending) { event.preventDefault(); return; }
      var hasFiles = filesField && filesField.files && filesField.files.length > 0;
      if (hasFiles || !client || !client.isOpen()) { return; }
      if (!idField.value) { idField.value = newUuid(); }
      var quoted = quotedField && /^\d+$/.test(quotedField.value) ? parseInt(quotedField.value, 10) : null;
      var sent = send({ type: "post", body: area.value, client_msg_id: idField.value, quoted_post: quoted });
      if (!sent) { return; }
      event.preventDefault();
      clearError();
      if (submitButton) { submitButton.disabled = true; }
      pending = { id: idField.value, timer: window.setTimeout(fallBack, ACK_TIMEOUT_MS) };
    });

    if (area) {
      var lastTyping = 0;
      area.addEventListener("input", function () {
        var now = Date.now();
        if (now - lastTyping > 3000) {
          lastTyping = now;
          send({ type: "typing" });
        }
      });
    }

    return {
      onAck: function (message) {
        if (!pending || message.client_msg_id !== pending.id) { return; }
        finish();
        area.value = "";
        if (quotedField) { quotedField.value = ""; }
        idField.value = newUuid(); // a new reply gets a new id; a retry of this one would have reused it
        clearError();
        announce(label("sent"));
      },
      onError: function (message) {
        if (pending && message.client_msg_id && message.client_msg_id !== pending.id) { return; }
        if (!pending && message.client_msg_id) { return; }
        finish();
        if (message.message) {
          showError(message.message);
          area.focus();
        }
      },
      onDisconnect: function () {
        if (pending) { fallBack(); }
      }
    };
  })();

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { reportRead(); }
  });

  connect();
})();
