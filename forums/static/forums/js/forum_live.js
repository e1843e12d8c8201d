/* Live topic list of a category (progressive enhancement: the server-rendered table is complete without it).
 *
 * The forum socket (ws/fora/<forum_id>/) sends {"type": "topic", "topic": {...}} when a topic of the forum is
 * new or changed (reply count, last post, pinned, closed) and {"type": "topic_gone"} when it was deleted or
 * moved away. Rows of this category are updated in place; a new topic is added at the top of the first page.
 * Everything is set as text (titles are never parsed as HTML). New topics and replies are announced politely.
 */
(function () {
  "use strict";
  var box = document.querySelector(".forum-list-live[data-live-socket]");
  if (!box || !window.WebSocket || !window.JSON || !window.OswiataSocket) { return; }
  var categoryId = parseInt(box.getAttribute("data-category-id"), 10);
  var firstPage = box.getAttribute("data-first-page") === "1";
  var announcer = box.querySelector("[data-announce]");
  var table = document.querySelector(".forum-table tbody");
  var label = function (name) { return box.getAttribute("data-label-" + name) || ""; };

  function announce(text) {
    window.OswiataSocket.announce(announcer, text);
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso; }
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return two(date.getDate()) + "." + two(date.getMonth() + 1) + "." + date.getFullYear() + " " +
      two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function badge(text, extra) {
    var span = document.createElement("span");
    span.className = "badge" + (extra ? " " + extra : "");
    span.textContent = text;
    return span;
  }

  function setBadges(row, topic) {
    var heading = row.querySelector("th");
    var link = heading.querySelector("a");
    Array.prototype.forEach.call(heading.querySelectorAll(".badge[data-live-badge]"), function (node) { node.remove(); });
    Array.prototype.forEach.call(heading.querySelectorAll(".badge:not(.badge--new)"), function (node) { node.remove(); });
    if (topic.locked) { var closed = badge(label("closed")); closed.setAttribute("data-live-badge", ""); heading.insertBefore(closed, link); heading.insertBefore(document.createTextNode(" "), link); }
    if (topic.pinned) { var pinned = badge(label("pinned")); pinned.setAttribute("data-live-badge", ""); heading.insertBefore(pinned, heading.firstChild); heading.insertBefore(document.createTextNode(" "), pinned.nextSibling); }
  }

  function fill(row, topic) {
    var count = row.querySelector("[data-field=post-count]");
    if (count) { count.textContent = String(topic.post_count); }
    var last = row.querySelector("[data-field=last-post]");
    if (last) {
      last.textContent = "";
      var time = document.createElement("time");
      time.setAttribute("datetime", topic.last_post_at);
      time.textContent = formatTime(topic.last_post_at);
      last.appendChild(time);
    }
    setBadges(row, topic);
  }

  function newRow(topic) {
    var row = document.createElement("tr");
    row.setAttribute("data-topic-id", String(topic.id));
    var heading = document.createElement("th");
    heading.setAttribute("scope", "row");
    var link = document.createElement("a");
    link.href = topic.url;
    link.textContent = topic.title;
    heading.appendChild(link);
    heading.appendChild(document.createTextNode(" "));
    heading.appendChild(badge(label("new"), "badge--new"));
    var count = document.createElement("td");
    count.setAttribute("data-field", "post-count");
    var last = document.createElement("td");
    last.setAttribute("data-field", "last-post");
    row.appendChild(heading);
    row.appendChild(count);
    row.appendChild(last);
    return row;
  }

  function onTopic(topic) {
    var row = document.querySelector("tr[data-topic-id='" + topic.id + "']");
    if (!row) {
      if (topic.category_id !== categoryId || !firstPage || !table) { return; }
      row = newRow(topic);
      table.insertBefore(row, table.firstChild);
      fill(row, topic);
      announce(label("new-topic") + " " + topic.title);
      return;
    }
    if (topic.category_id !== categoryId) { row.remove(); return; }
    var before = row.querySelector("[data-field=post-count]");
    var grew = before && parseInt(before.textContent, 10) < topic.post_count;
    fill(row, topic);
    if (grew) { announce(label("new-reply") + " " + topic.title); }
  }

  // The connection and its reconnects (jittered waits, final close codes) are the shared client's.
  window.OswiataSocket.connect(box.getAttribute("data-live-socket"), {
    onMessage: function (message, client) {
      if (message.type === "hello") { client.ready(); box.hidden = false; }
      else if (message.type === "topic" && message.topic) { onTopic(message.topic); }
      else if (message.type === "topic_gone") {
        var row = document.querySelector("tr[data-topic-id='" + message.topic_id + "']");
        if (row) { row.remove(); }
      }
    },
    onFinal: function () { box.hidden = true; }
  });
})();
