/* Timeline: show national or local events, one council's events, newest or oldest first.
   The page works without this script; with it, the filter state lives in the address. */
(function () {
  "use strict";
  var form = document.getElementById("timeline-filters");
  var holder = document.getElementById("timeline-years");
  if (!form || !holder) return;
  var years = Array.prototype.slice.call(holder.querySelectorAll("section.year"));
  var events = Array.prototype.slice.call(holder.querySelectorAll("li.event"));
  var count = document.getElementById("timeline-count");
  var noMatch = document.getElementById("no-match");
  var fields = ["scope", "council", "order"];
  var oldestFirst = false;

  function remember(query) {
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (refused) {
      /* Some browsers refuse address changes on file: pages; the filters still work. */
    }
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var value = params.get(name) || "";
      form.elements[name].value = hasOption(form.elements[name], value) ? value : "";
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      if (form.elements[name].value) params.set(name, form.elements[name].value);
    });
    var query = params.toString();
    remember(query);
  }

  function reverseChildren(parent, selector) {
    Array.prototype.slice.call(parent.querySelectorAll(":scope > " + selector)).reverse()
      .forEach(function (child) { parent.appendChild(child); });
  }

  function update() {
    var scope = form.elements.scope.value, council = form.elements.council.value;
    var shown = 0;
    events.forEach(function (li) {
      var national = li.classList.contains("national");
      var match = (!scope || (scope === "national") === national) &&
        (!council || (li.dataset.councils || "").split(" ").indexOf(council) !== -1);
      li.hidden = !match;
      if (match) shown += 1;
    });
    years.forEach(function (section) {
      section.hidden = !section.querySelector("li.event:not([hidden])");
    });
    if ((form.elements.order.value === "oldest") !== oldestFirst) {
      oldestFirst = !oldestFirst;
      reverseChildren(holder, "section.year");
      years.forEach(function (section) { reverseChildren(section.querySelector("ol"), "li"); });
    }
    count.textContent = shown === events.length ? "Showing all " + events.length + " events."
      : "Showing " + shown + " of " + events.length + " events.";
    noMatch.hidden = shown !== 0;
    writeAddress();
  }

  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("reset", function () { window.setTimeout(update, 0); });
  readAddress();
  form.classList.add("ready");
  update();
}());
