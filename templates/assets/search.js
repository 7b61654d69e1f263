/* Site search, entirely in the browser: matches every word typed against the index that the
   build wrote to search/index.js (window.searchIndex). The query is kept in the address. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var records = window.searchIndex;
  if (!input || !status || !list) return;
  if (!records) {
    status.textContent = "The search index did not load. Browse the councils, timeline or sources instead.";
    return;
  }
  var root = list.dataset.root || "";
  var LIMIT = 50;

  function remember(query) {
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (refused) {
      /* Some browsers refuse address changes on file: pages; the filters still work. */
    }
  }

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var prepared = records.map(function (r, i) {
    return { record: r, order: i, title: fold(r.t), rest: fold(r.s + " " + r.x) };
  });

  function startsWord(text, term) {
    var at = text.indexOf(term);
    while (at !== -1) {
      if (at === 0 || /[^a-z0-9]/.test(text.charAt(at - 1))) return true;
      at = text.indexOf(term, at + 1);
    }
    return false;
  }

  function score(item, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i += 1) {
      var term = terms[i];
      if (startsWord(item.title, term)) total += 10;
      else if (item.title.indexOf(term) !== -1) total += 5;
      else if (startsWord(item.rest, term)) total += 2;
      else if (item.rest.indexOf(term) !== -1) total += 1;
      else return 0;
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(query) {
    var terms = fold(query).split(/[^a-z0-9£]+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) {
      status.textContent = "Type a council, a place, a publisher or a word to search " + records.length + " items.";
      return;
    }
    var found = prepared.map(function (item) { return { item: item, score: score(item, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.item.order - b.item.order; });
    found.slice(0, LIMIT).forEach(function (hit) {
      var r = hit.item.record;
      var li = element("li", "search-result");
      var heading = element("p", "search-title");
      var link = element("a", "", r.t);
      link.href = root + r.u;
      heading.appendChild(element("span", "tag", r.k));
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(link);
      li.appendChild(heading);
      if (r.s) li.appendChild(element("p", "qualifier", r.s));
      list.appendChild(li);
    });
    var shown = Math.min(found.length, LIMIT);
    status.textContent = (found.length === 0 ? "No results" : found.length === 1 ? "1 result"
      : found.length + " results") + " for “" + query.trim() + "”" +
      (found.length > LIMIT ? "; showing the first " + shown + "." : ".");
  }

  function update() {
    var query = input.value;
    var params = new URLSearchParams(location.search);
    if (query.trim()) params.set("q", query.trim()); else params.delete("q");
    var text = params.toString();
    remember(text);
    show(query);
  }

  input.form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  input.addEventListener("input", update);
  input.value = new URLSearchParams(location.search).get("q") || "";
  show(input.value);
}());
