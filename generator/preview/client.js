// Preview only: connects the page to the live-reload server (livereload.js and its
// protocol); the server injects this file into every HTML page it serves.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="preview-build"]');
  // A reload sent while this page was loading never reached it: on each (re)connection, tell
  // the server which build this page shows, and it sends a reload if a newer one is out.
  document.addEventListener("LiveReloadConnect", function () {
    var connector = window.LiveReload && window.LiveReload.connector;
    if (meta && connector && connector.socket) {
      connector.socket.send(JSON.stringify({ command: "preview-build", build: meta.content }));
    }
  });
  var script = document.createElement("script");
  var port = window.location.port || (window.location.protocol === "https:" ? 443 : 80);
  script.src = "/livereload.js?port=" + port;
  document.head.appendChild(script);
  // The errors or warnings panel: "Hide" lasts until the problems change.
  ["preview-errors", "preview-warnings"].forEach(function (id) {
    var panel = document.getElementById(id);
    if (!panel) { return; }
    var key = "preview-hidden:" + id;
    try { panel.hidden = window.sessionStorage.getItem(key) === panel.dataset.key; } catch (e) { /* no storage */ }
    panel.querySelector("button").addEventListener("click", function () {
      panel.hidden = true;
      try { window.sessionStorage.setItem(key, panel.dataset.key); } catch (e) { /* no storage */ }
    });
  });
})();
