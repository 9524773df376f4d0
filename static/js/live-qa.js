/* Live Q&A: the attendees' and moderators' page (data-mode="page") and the projector (data-mode="screen").
   The server renders the first state (also as JSON in #qa-state); ws/events/<id>/ sends a snapshot on
   every (re)connection and then qa.update deltas ({action, question: {id, ...}}). Forms post to the same
   URLs as without JavaScript, asking for JSON. */
(function () {
  "use strict";

  var ORDER_BY_VOTES = { approved: true, answered: true };

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("live-qa");
    if (!root || !window.YTPLive) { return; }
    var live = window.YTPLive;
    var screen = root.dataset.mode === "screen";
    var limit = parseInt(root.dataset.limit || "0", 10);
    var labels = readJSON("qa-labels") || {};
    var template = document.getElementById("qa-item-template");
    var statusEl = root.querySelector("[data-live-status]");
    var errorEl = root.querySelector("[data-qa-error]");
    var state = { moderator: false, mayAsk: false, questions: new Map(), voted: new Set(), mine: new Set() };

    function load(data) {
      state.moderator = !!data.moderator;
      state.mayAsk = !!data.may_ask;
      state.questions = new Map();
      (data.questions || []).forEach(function (q) { state.questions.set(q.id, q); });
      state.voted = new Set(data.voted || []);
      state.mine = new Set(data.mine || []);
    }

    // Whether this viewer should see the question at all (the server sends nothing else, but a
    // question can stop being visible: hidden by a moderator).
    function visible(q) {
      if (screen) { return q.status === "approved"; }
      if (state.moderator) { return true; }
      return q.status === "approved" || q.status === "answered" || (q.status === "pending" && state.mine.has(q.id));
    }

    function compare(status) {
      return function (a, b) {
        if (ORDER_BY_VOTES[status] && a.votes !== b.votes) { return b.votes - a.votes; }
        if (a.created_at !== b.created_at) { return a.created_at < b.created_at ? -1 : 1; }
        return a.id - b.id;
      };
    }

    function setHidden(el, hidden) { if (el) { el.hidden = hidden; } }

    function fill(li, q) {
      li.dataset.id = q.id;
      li.dataset.status = q.status;
      if (!screen) { li.id = "question-" + q.id; }
      var text = li.querySelector("[data-text]");
      if (text.dataset.raw !== q.text) {
        text.dataset.raw = q.text;
        text.textContent = q.text;
      }
      li.querySelector("[data-votes]").textContent = String(q.votes);
      if (screen) { return; }
      setHidden(li.querySelector("[data-mine]"), !state.mine.has(q.id));
      setHidden(li.querySelector("[data-pending-badge]"), q.status !== "pending");
      var base = root.dataset.questionsUrl + q.id + "/";
      li.querySelectorAll("form[data-suffix]").forEach(function (form) {
        form.action = base + form.dataset.suffix;
        if (form.dataset.kind === "vote") {
          form.hidden = !(state.mayAsk && q.status === "approved");
          var voted = state.voted.has(q.id);
          var button = form.querySelector("button");
          button.setAttribute("aria-pressed", voted ? "true" : "false");
          form.querySelector("[data-vote-label]").textContent = voted ? labels.unvote : labels.vote;
        } else {
          var target = form.dataset.target;
          form.hidden = target === q.status || (target === "answered" && (q.status === "pending" || q.status === "hidden"));
        }
      });
    }

    function render() {
      root.querySelectorAll("[data-list]").forEach(function (list) {
        var status = list.dataset.list;
        var wanted = [];
        state.questions.forEach(function (q) { if (q.status === status && visible(q)) { wanted.push(q); } });
        wanted.sort(compare(status));
        if (limit) { wanted = wanted.slice(0, limit); }
        var existing = new Map();
        Array.prototype.forEach.call(list.children, function (li) { existing.set(Number(li.dataset.id), li); });
        var nodes = wanted.map(function (q) {
          var li = existing.get(q.id) || template.content.firstElementChild.cloneNode(true);
          fill(li, q);
          return li;
        });
        // Re-insert only when the order changed, so a focused button keeps its focus.
        var same = nodes.length === list.children.length && nodes.every(function (li, i) { return list.children[i] === li; });
        if (!same) { list.replaceChildren.apply(list, nodes); }
        var count = root.querySelector('[data-count-of="' + status + '"]');
        if (count) { count.textContent = String(wanted.length); }
        setHidden(root.querySelector('[data-empty-of="' + status + '"]'), wanted.length > 0);
        var section = root.querySelector('[data-section-of="' + status + '"]');
        if (section) { section.hidden = wanted.length === 0; }
      });
    }

    function apply(delta) {
      var q = delta.question;
      if (!q || q.id === undefined) { return; }
      var current = state.questions.get(q.id);
      if (current) {
        Object.keys(q).forEach(function (key) { current[key] = q[key]; });
      } else if (q.text !== undefined) {
        state.questions.set(q.id, q);
      } else {
        return; // a delta for a question this viewer never saw
      }
      var merged = state.questions.get(q.id);
      if (!visible(merged)) { state.questions.delete(q.id); }
      render();
    }

    function showError(text) {
      if (!errorEl) { return; }
      errorEl.textContent = text || "";
      errorEl.hidden = !text;
    }

    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-kind]")) { return; }
      event.preventDefault();
      var kind = form.dataset.kind;
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      live.postForm(form).then(function (res) {
        if (!res.ok) { showError(res.data.error || labels.failed); return; }
        showError("");
        if (kind === "ask") {
          state.mine.add(res.data.question.id);
          apply({ question: res.data.question });
          form.reset();
        } else if (kind === "vote") {
          if (res.data.voted) { state.voted.add(res.data.id); } else { state.voted.delete(res.data.id); }
          apply({ question: { id: res.data.id, votes: res.data.votes } });
        } else if (kind === "moderate") {
          apply({ question: res.data.question });
        } else if (kind === "checkin") {
          var box = root.querySelector("[data-checkin-box]");
          if (box) { box.remove(); }
          setHidden(root.querySelector("[data-checked-in]"), false);
        }
      }).catch(function () {
        showError(labels.failed);
      }).then(function () {
        if (button) { button.disabled = false; }
      });
    });

    load(readJSON("qa-state") || {});
    render();

    live.connect(root.dataset.wsPath, {
      open: function () { live.setStatus(statusEl, true, labels.live); },
      close: function () { live.setStatus(statusEl, false, labels.offline); },
      message: function (msg) {
        if (msg.type === "snapshot" && msg.data.qa) {
          if (screen) {
            // The projector shows the room's view whoever is signed in on it.
            msg.data.qa.moderator = false;
            msg.data.qa.may_ask = false;
          }
          load(msg.data.qa);
          render();
        } else if (msg.type === "qa.update") {
          apply(msg.data);
        }
      }
    });
    live.rotatingCode(root.querySelector(".live-code-card"));
  });
})();
