/* The organizer's live dashboard: counters from ws/events/<id>/ deltas, the latest check-ins from
   state.json (the deltas carry ids only), the self check-in code from code.json. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("live-dashboard");
    if (!root || !window.YTPLive) { return; }
    var live = window.YTPLive;
    var status = root.querySelector("[data-live-status]");
    var list = root.querySelector("[data-checkins]");
    var refreshTimer = null;

    function setCounts(counts) {
      ["seated", "waitlisted", "attended", "capacity"].forEach(function (key) {
        var el = root.querySelector('[data-count="' + key + '"]');
        if (!el || counts[key] === undefined || counts[key] === null) { return; }
        var text = String(counts[key]);
        if (el.textContent !== text) {
          el.textContent = text;
          el.classList.remove("is-changed");
          void el.offsetWidth; // restart the highlight animation
          el.classList.add("is-changed");
        }
      });
    }

    function renderCheckins(rows) {
      var items = rows.map(function (row) {
        var li = document.createElement("li");
        li.dataset.registration = row.id;
        var time = document.createElement("span");
        time.className = "checkin-time mono";
        time.textContent = row.time;
        var name = document.createElement("span");
        name.className = "checkin-name";
        name.textContent = row.name;
        var method = document.createElement("span");
        method.className = "muted small";
        method.textContent = row.method_label;
        li.append(time, " ", name, " ", method);
        return li;
      });
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = root.dataset.textEmpty;
        items = [empty];
      }
      list.replaceChildren.apply(list, items);
    }

    // Debounced: at the door check-ins come in bursts; one fetch covers a burst.
    function refresh() {
      window.clearTimeout(refreshTimer);
      refreshTimer = window.setTimeout(function () {
        live.getJSON(root.dataset.stateUrl).then(function (state) {
          setCounts(state.counts);
          renderCheckins(state.checkins);
        }).catch(function () { /* the next update or reconnection tries again */ });
      }, 200);
    }

    live.connect(root.dataset.wsPath, {
      open: function () { live.setStatus(status, true, root.dataset.textLive); },
      close: function () { live.setStatus(status, false, root.dataset.textOffline); },
      poll: refresh,
      message: function (msg) {
        if (msg.type === "snapshot") {
          if (msg.data.counts) { setCounts(msg.data.counts); }
          refresh();
        } else if (msg.type === "event.update") {
          setCounts(msg.data);
          if (msg.data.kind === "checkin") { refresh(); }
        }
      }
    });
    live.rotatingCode(root.querySelector(".live-code-card"));
  });
})();
