// Reading time for the partner program: how long a post's page was in
// view, sent when it is hidden or left. Optional: without it a read is
// counted all the same. It sends the seconds only, to this site only.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) {
    return;
  }
  var path = "/posts/" + encodeURIComponent(script.dataset.post) + "/read-time";
  var csrf = script.dataset.csrf;
  var shown = 0;
  var since = document.visibilityState === "visible" ? Date.now() : 0;

  function send() {
    if (since) {
      shown += Date.now() - since;
      since = 0;
    }
    var seconds = Math.floor(shown / 1000);
    if (seconds < 1) {
      return;
    }
    shown -= seconds * 1000;
    navigator.sendBeacon(path, new URLSearchParams({ csrf: csrf, seconds: String(seconds) }));
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send();
    } else {
      since = Date.now();
    }
  });
  window.addEventListener("pagehide", send);
})();
