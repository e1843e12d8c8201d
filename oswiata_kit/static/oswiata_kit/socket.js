/* The one socket client of the site's live pages (forum topic, forum list, notification bell).
 *
 *   var client = OswiataSocket.connect("/ws/fora/watki/7/", {
 *     onMessage: function (message, client) { ... },  // each message, parsed from JSON (other text is ignored)
 *     onOpen: function (client) { ... },               // the socket opened
 *     onClose: function (event, client) { ... },       // it closed (a new connection follows unless final)
 *     onFinal: function (event, client) { ... }        // it closed for good: a final code, or stop()
 *   });
 *   client.ready();        // the server said hello: the next reconnect starts from the shortest wait again
 *   client.send({...});    // true when sent; false when the socket is not open
 *   client.isOpen();
 *   client.stop();
 *   OswiataSocket.announce(region, text);  // a polite live region says `text` (cleared first, so it is heard again)
 *
 * Reconnecting: exponential backoff with jitter, 0.5 s, 1 s, 2 s, ... up to 30 s, each wait between half and the
 * whole, so that a server restart is not met by every page at once. The final close codes end it: 4001 (logged
 * out or deactivated: log in again), 4401 (not logged in), 4403 (no longer allowed). Messages lost while
 * disconnected are the page's business (it resyncs on hello): a channel layer delivers at most once.
 */
(function () {
  "use strict";
  if (window.OswiataSocket) { return; }

  var FINAL_CODES = { 4001: true, 4401: true, 4403: true };
  var FIRST_WAIT_MS = 500;
  var LONGEST_WAIT_MS = 30000;

  function url(path) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  function announce(region, text, delay) {
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, delay || 50);
  }

  function reconnectWait(attempt) {
    var ceiling = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * Math.pow(2, attempt));
    return ceiling / 2 + Math.random() * ceiling / 2;
  }

  function connect(path, handlers) {
    handlers = handlers || {};
    var socket = null;
    var attempt = 0;
    var stopped = false;
    var client = {
      send: function (message) {
        if (socket && socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify(message));
          return true;
        }
        return false;
      },
      isOpen: function () { return !!socket && socket.readyState === WebSocket.OPEN; },
      ready: function () { attempt = 0; },
      stop: function () {
        stopped = true;
        if (socket) { socket.close(); }
      }
    };

    function open() {
      if (stopped) { return; }
      var current = new WebSocket(url(path));
      socket = current;
      current.addEventListener("open", function () {
        if (handlers.onOpen) { handlers.onOpen(client); }
      });
      current.addEventListener("message", function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (error) { return; }
        if (handlers.onMessage) { handlers.onMessage(message, client); }
      });
      current.addEventListener("close", function (event) {
        if (socket === current) { socket = null; }
        if (handlers.onClose) { handlers.onClose(event, client); }
        if (stopped || FINAL_CODES[event.code]) {
          stopped = true;
          if (handlers.onFinal) { handlers.onFinal(event, client); }
          return;
        }
        var wait = reconnectWait(attempt);
        attempt += 1;
        window.setTimeout(open, wait);
      });
    }

    open();
    return client;
  }

  window.OswiataSocket = { connect: connect, announce: announce, url: url, FINAL_CODES: FINAL_CODES };
}());
