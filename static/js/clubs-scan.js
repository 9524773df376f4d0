/* Ticket scanning on the organizer's check-in page (templates/clubs/event_check_in.html).
 *
 * Uses the browser's BarcodeDetector on a camera stream (Chromium has it). A code that is read is put
 * in the same form as a typed code and submitted with method=scan, so the server does exactly the
 * same check either way. Where the API or the camera is missing, the page says so and the typed
 * form stays as it is. Progressive enhancement only: without this file the page still works.
 */
(function () {
  "use strict";

  function init() {
    var card = document.getElementById("scanner");
    var form = document.getElementById("checkin-form");
    if (!card || !form) { return; }
    var note = document.getElementById("scan-note");
    var video = document.getElementById("scan-video");
    var startButton = document.getElementById("scan-start");
    var stopButton = document.getElementById("scan-stop");
    var texts = document.getElementById("scan-messages");
    var detector = null;
    var stream = null;
    var timer = null;

    function say(key) {
      var source = texts && texts.content.querySelector('[data-key="' + key + '"]');
      if (source) { note.textContent = source.textContent; }
      card.setAttribute("data-state", key);
    }

    function stop() {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      stopButton.hidden = true;
      startButton.hidden = false;
    }

    function submit(code) {
      say("found");
      stop();
      form.elements.code.value = code;
      form.elements.method.value = "scan";
      form.submit();
    }

    function scan() {
      if (!stream) { return; }
      detector.detect(video).then(function (codes) {
        var code = codes.length && codes[0].rawValue ? String(codes[0].rawValue).trim() : "";
        if (code) { submit(code); return; }
        timer = window.setTimeout(scan, 200);
      }).catch(function () {
        // The first frames may not be decoded yet; keep trying.
        timer = window.setTimeout(scan, 400);
      });
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play();
        })
        .then(function () {
          startButton.hidden = true;
          stopButton.hidden = false;
          say("scanning");
          scan();
        })
        .catch(function () {
          stop();
          say("denied");
        });
    }

    function ready() {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      startButton.hidden = false;
      say("ready");
      startButton.addEventListener("click", start);
      stopButton.addEventListener("click", function () { stop(); say("ready"); });
      // After a scanned check-in the page comes back ready for the next ticket.
      if (card.getAttribute("data-autostart") === "1") { start(); }
    }

    // Typing in the box (or pasting) is a typed check-in, even right after a scan.
    form.elements.code.addEventListener("input", function () { form.elements.method.value = "typed"; });

    var mediaOk = navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function";
    if (!("BarcodeDetector" in window) || !mediaOk) { say("unsupported"); return; }
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    formats.then(function (list) {
      if (list.indexOf("qr_code") === -1) { say("unsupported"); return; }
      ready();
    }).catch(function () { say("unsupported"); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
