/* The shortlist board: drag a card to another column to move it (HTML5 drag and drop, then a POST
   with the CSRF token; the server answers with the board again, a refusal shown inline). Moves that
   need a reason (backwards, declined, refused) ask for it first. Without this file every card has a
   plain form with a stage select and a reason. Ratings saved in the card panel refresh the board. */
(function () {
  "use strict";

  function init() {
    var board = document.getElementById("board");
    if (!board) { return; }
    var dragged = null;

    function column(el) { return el && el.closest ? el.closest(".board-col") : null; }
    function clearTargets() {
      board.querySelectorAll(".board-col.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    }
    function csrfToken() {
      var input = board.querySelector("input[name=csrfmiddlewaretoken]") ||
        document.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }
    function order(stage) {
      var col = board.querySelector('.board-col[data-stage="' + stage + '"]');
      return col ? parseInt(col.dataset.order, 10) : -1;
    }
    function needsReason(from, to) {
      var target = board.querySelector('.board-col[data-stage="' + to + '"]');
      if (target && target.dataset.needsReason === "1") { return true; }
      var a = order(from), b = order(to);
      return a >= 0 && b >= 0 && b < a;
    }
    function swap(html) {
      board.innerHTML = html;
      if (window.htmx) { window.htmx.process(board); }
      var error = document.getElementById("board-error");
      if (error) { error.setAttribute("tabindex", "-1"); error.focus(); }
    }
    function request(url, options) {
      options.headers = Object.assign({ "HX-Request": "true" }, options.headers || {});
      options.credentials = "same-origin";
      return fetch(url, options).then(function (response) {
        // The server answers 400 with the board and its message: show it either way.
        if (response.status >= 500) { throw new Error(String(response.status)); }
        return response.text();
      }).then(swap).catch(function () {
        window.alert(board.dataset.textFailed || "Error");
      });
    }
    function move(card, stage, reason) {
      var body = new FormData();
      body.append("stage", stage);
      body.append("reason", reason);
      board.setAttribute("aria-busy", "true");
      request(card.dataset.moveUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrfToken() } })
        .then(function () { board.removeAttribute("aria-busy"); });
    }

    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest ? event.target.closest(".board-card") : null;
      if (!card) { return; }
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.entry);
    });
    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      dragged = null;
      clearTargets();
    });
    board.addEventListener("dragover", function (event) {
      var col = column(event.target);
      if (!col || !dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      if (!col.classList.contains("drop-target")) { clearTargets(); col.classList.add("drop-target"); }
    });
    board.addEventListener("dragleave", function (event) {
      var col = column(event.target);
      if (col && !col.contains(event.relatedTarget)) { col.classList.remove("drop-target"); }
    });
    board.addEventListener("drop", function (event) {
      var col = column(event.target);
      var card = dragged;
      clearTargets();
      if (!col || !card) { return; }
      event.preventDefault();
      var from = card.dataset.stage, to = col.dataset.stage;
      if (from === to) { return; }
      var reason = "";
      if (needsReason(from, to)) {
        reason = window.prompt(board.dataset.textReason || "", "");
        if (reason === null) { return; }  // cancelled: nothing moves
      }
      move(card, to, reason.trim());
    });

    // A rating or a note saved in the card panel: the averages on the board follow.
    document.body.addEventListener("boardChanged", function () {
      request(board.dataset.boardUrl, { method: "GET" });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
