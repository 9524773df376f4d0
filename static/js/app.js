/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // The language select submits itself; the "Đổi" button remains for no-JS users.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // The main menu: folded behind "Menu" on phones; on wider screens one group's dropdown open at a
    // time, closed by a click elsewhere or Escape.
    var mainnav = document.querySelector("details[data-mainnav]");
    if (mainnav && window.matchMedia("(max-width: 900px)").matches) { mainnav.open = false; }
    var groups = Array.from(document.querySelectorAll("details[data-navgroup]"));
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) { return; }
        groups.forEach(function (other) { if (other !== group) { other.open = false; } });
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (group.open && !group.contains(event.target)) { group.open = false; } });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      groups.forEach(function (group) {
        if (group.open) { group.open = false; group.querySelector("summary").focus(); }
      });
    });
    // On phones the filter panel starts closed unless a filter is in use, so results stay in view.
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll("details[data-collapse-on-mobile]:not([data-active])").forEach(function (d) {
        d.open = false;
      });
    }
  });

  // Keep pushed URLs short and shareable: leave out filters that are empty.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb !== "get" || !detail.formData) { return; }
    Array.from(detail.formData.keys()).forEach(function (key) {
      if (detail.formData.getAll(key).every(function (v) { return v === ""; })) {
        detail.formData.delete(key);
      }
    });
  });

  // A "print" button (the review report): the browser's own print dialog.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
