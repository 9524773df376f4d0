/* Shared by the live pages and the notification bell: a WebSocket that comes back by itself, JSON over
   HTTP with the session, and the self check-in code refreshed from the server.
   Every (re)connection starts with the server's snapshot, so nothing needs replaying here. */
(function () {
  "use strict";

  function wsUrl(path) {
    return (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + path;
  }

  // handlers: {message(msg), open(), close(), poll()}. Reconnects with a growing, jittered delay (1 s … 30 s).
  // While the socket is down (the server closes it with 4503 when its live channel, Redis, is gone),
  // poll() — when given — catches the page up over HTTP every 15 s.
  var POLL_MS = 15000;

  function connect(path, handlers) {
    var delay = 1000;
    var socket = null;
    var stopped = false;
    var timer = null;
    var poller = null;

    function startPolling() {
      if (!handlers.poll || poller) { return; }
      poller = window.setInterval(function () { handlers.poll(); }, POLL_MS);
    }
    function stopPolling() {
      if (poller) { window.clearInterval(poller); poller = null; }
    }

    function open() {
      timer = null;
      try {
        socket = new WebSocket(wsUrl(path));
      } catch (err) {
        retry();
        return;
      }
      socket.addEventListener("open", function () {
        delay = 1000;
        stopPolling();
        if (handlers.open) { handlers.open(); }
      });
      socket.addEventListener("message", function (event) {
        var msg;
        try { msg = JSON.parse(event.data); } catch (err) { return; }
        handlers.message(msg);
      });
      socket.addEventListener("close", function () {
        if (handlers.close) { handlers.close(); }
        startPolling();
        retry();
      });
    }

    function retry() {
      if (stopped || timer) { return; }
      timer = window.setTimeout(open, delay + Math.floor(Math.random() * 500));
      delay = Math.min(delay * 2, 30000);
    }

    // A laptop waking up or a phone coming back online should not wait out the back-off.
    window.addEventListener("online", function () {
      if (timer) { window.clearTimeout(timer); timer = null; delay = 1000; open(); }
    });
    open();
    return {
      close: function () { stopped = true; stopPolling(); if (socket) { socket.close(); } }
    };
  }

  function getJSON(url) {
    return window.fetch(url, {
      headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  // Posts a form (its CSRF field included) and resolves to {ok, status, data}.
  function postForm(form, action) {
    return window.fetch(action || form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  // The code is computed by the server (code.json); this only shows it and asks again when it rotates.
  function rotatingCode(card) {
    if (!card || !card.dataset.codeUrl) { return; }
    var codeEl = card.querySelector("[data-code]");
    var leftEl = card.querySelector("[data-code-left]");
    var bar = card.querySelector("[data-code-bar]");
    var expiresAt = 0;
    var timer = null;

    function tick() {
      var left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
      if (leftEl) { leftEl.textContent = String(left); }
      if (bar) { bar.value = left; }
    }
    function schedule(ms) {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, ms);
    }
    function load() {
      getJSON(card.dataset.codeUrl).then(function (data) {
        codeEl.textContent = data.code;
        if (bar) { bar.max = data.rotation; }
        expiresAt = Date.now() + data.expires_in * 1000;
        tick();
        schedule(data.expires_in * 1000 + 250);
      }).catch(function () { schedule(5000); });
    }
    window.setInterval(tick, 1000);
    load();
  }

  function setStatus(el, online, text) {
    if (!el) { return; }
    el.textContent = text;
    el.classList.toggle("is-live", online);
    el.classList.toggle("is-offline", !online);
  }

  window.YTPLive = { connect: connect, getJSON: getJSON, postForm: postForm, rotatingCode: rotatingCode,
                     setStatus: setStatus };
})();
