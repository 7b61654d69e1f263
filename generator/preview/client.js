// Preview only: connects the page to the live-reload server (livereload.js and its
// protocol); the server injects this file into every HTML page it serves.
(function () {
  "use strict";
  var script = document.createElement("script");
  var port = window.location.port || (window.location.protocol === "https:" ? 443 : 80);
  script.src = "/livereload.js?port=" + port;
  document.head.appendChild(script);
  var overlay = document.getElementById("preview-errors");
  if (overlay) {
    var close = overlay.querySelector("button");
    close.addEventListener("click", function () { overlay.hidden = true; });
  }
})();
