/* The notification bell: keeps the unread count in the header up to date over the account socket (/ws/konto/).
   The server sends {"type": "notifications.count", "unread": n} after every change; the socket may lose a
   message, so after each (re)connect the count is fetched once from the page's JSON address. The connection,
   its reconnects and the live region are the shared client's (oswiata_kit/socket.js). */
(function () {
  "use strict";
  var bell = document.querySelector("[data-notification-bell]");
  if (!bell || !("WebSocket" in window) || !window.OswiataSocket) { return; }
  var badge = bell.querySelector("[data-bell-count]");
  var suffix = bell.querySelector("[data-bell-suffix]");
  var live = bell.querySelector("[data-bell-live]");
  var current = parseInt(badge.textContent, 10) || 0;

  function show(unread, announce) {
    unread = Math.max(0, parseInt(unread, 10) || 0);
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    // The link's name is its visible text ("Powiadomienia 3") plus a hidden "Nieprzeczytane" (WCAG 2.5.3).
    if (suffix) { suffix.hidden = unread === 0; }
    if (announce && unread > current) {
      window.OswiataSocket.announce(live, bell.getAttribute("data-announce"), 100);
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

  // Closed for good on 4001 (logged out or deactivated), 4401 (not logged in) and 4403: reconnecting would not help.
  window.OswiataSocket.connect(bell.getAttribute("data-socket"), {
    onMessage: function (data, client) {
      if (data.type === "session.ready") {
        client.ready();
        refresh();
      } else if (data.type === "notifications.count") {
        show(data.unread, true);
      }
    }
  });
}());
