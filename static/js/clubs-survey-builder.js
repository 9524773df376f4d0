/* Survey builder (templates/clubs/survey_form.html): show only the fields that apply.
 *
 * The club / pool / event selects follow the chosen target, and each question row shows the
 * choices box or the scale range according to its kind. Hidden fields keep their values and are
 * still sent; the server ignores what does not apply. Without JavaScript every field is shown.
 */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("survey-form");
    if (!form) { return; }

    function syncTarget() {
      var checked = form.querySelector('input[name="target"]:checked');
      var target = checked ? checked.value : "";
      form.querySelectorAll(".target-field").forEach(function (box) {
        box.hidden = box.getAttribute("data-target") !== target;
      });
    }

    function syncRow(row) {
      var select = row.querySelector('select[name$="-kind"]');
      if (!select) { return; }
      row.querySelectorAll(".kind-field").forEach(function (box) {
        box.hidden = box.getAttribute("data-kinds").split(" ").indexOf(select.value) === -1;
      });
    }

    form.querySelectorAll('input[name="target"]').forEach(function (radio) {
      radio.addEventListener("change", syncTarget);
    });
    form.querySelectorAll(".question-row").forEach(function (row) {
      var select = row.querySelector('select[name$="-kind"]');
      if (select) { select.addEventListener("change", function () { syncRow(row); }); }
      syncRow(row);
    });
    syncTarget();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
