/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // The language select submits itself; the "Đổi" button remains for no-JS users.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
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
})();
