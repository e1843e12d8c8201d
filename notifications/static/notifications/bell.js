/* The notification bell: keeps the unread count in the header up to date over the account socket (/ws/konto/).
   The server sends {"type": "notifications.count", "unread": n} after every change; the socket may lose a
   message, so after each (re)connect the count is fetched once from the page's JSON address. */
(function () {
  "use strict";
  var bell = document.querySelector("[data-notification-bell]");
  if (!bell || !("WebSocket" in window)) { return; }
  var link = bell.querySelector("[data-bell-link]");
  var badge = bell.querySelector("[data-bell-count]");
  var suffix = bell.querySelector("[data-bell-suffix]");
  var live = bell.querySelector("[data-bell-live]");
  var current = parseInt(badge.textContent, 10) || 0;
  var delay = 1000;

  function show(unread, announce) {
    unread = Math.max(0, parseInt(unread, 10) || 0);
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    // The link's name is its visible text ("Powiadomienia 3") plus a hidden "Nieprzeczytane" (WCAG 2.5.3).
    if (suffix) { suffix.hidden = unread === 0; }
    if (announce && unread > current) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = bell.getAttribute("data-announce"); }, 100);
    }
    current = unread;
  }

  function refresh() {
    if (!window.fetch) { return; }
    window.fetch(bell.getAttribute("data-count-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && typeof data.unread === "number") { show(data.unread, true); } })
      .catch(function () {});
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + bell.getAttribute("data-socket"));
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "session.ready") {
        delay = 1000;
        refresh();
      } else if (data.type === "notifications.count") {
        show(data.unread, true);
      }
    });
    socket.addEventListener("close", function (event) {
      // 4001: logged out or deactivated; 4401: not logged in — reconnecting would not help.
      if (event.code === 4001 || event.code === 4401 || event.code === 4403) { return; }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  connect();
}());
