/* Site search in the browser, with lunr.js (assets/lunr/). The build writes the records to
   search/index.js (window.searchIndex: the records, the fields with their boosts, the synonym
   groups of site.yaml); this script indexes them when the page opens. Every word typed must
   match, in any form: the records' words and the words typed go through the same steps (accents
   folded, trimmed, common words dropped, Porter stem, synonym group), so they always agree. The
   query and type are kept in the address, so a search can be shared and the Back button works. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var data = window.searchIndex;
  if (!input || !status || !list) return;
  if (!data || !window.lunr) {
    status.textContent = "The search index did not load. Browse the councils, timeline or sources instead.";
    return;
  }
  var lunr = window.lunr;
  var records = data.records;
  var root = list.dataset.root || "";
  var types = Array.prototype.slice.call(input.form.querySelectorAll("input[name=type]"));
  var LIMIT = 50;
  var CONTEXT = 12; /* words shown either side of the first match in a snippet */

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* A word's stem, or "" for a common word: lunr's trimmer, stop-word filter and stemmer, in
     lunr's order, on the word without accents. */
  function stem(word) {
    var token = lunr.trimmer(new lunr.Token(fold(word.toLowerCase()), {}));
    if (!token.toString() || !lunr.stopWordFilter(token)) return "";
    return lunr.stemmer(token).toString();
  }

  /* Each synonym's stem → the stem of its group's first word. */
  var synonyms = new Map();
  data.synonyms.forEach(function (group) {
    var first = stem(group[0]);
    group.slice(1).map(stem).forEach(function (s) { if (s && s !== first) synonyms.set(s, first); });
  });

  /* A word as the index knows it, or "" for a common word. A site repeats its words thousands
     of times: each distinct one is worked out once. */
  var keys = new Map();
  function key(word) {
    var found = keys.get(word);
    if (found === undefined) {
      found = stem(word);
      found = synonyms.get(found) || found;
      keys.set(word, found);
    }
    return found;
  }

  /* A text's words as the index knows them, common words left out. The builder gets them as
     strings, not lunr.Token objects: it uses terms only as property names while no metadata is
     kept (none is: highlighting re-keys the words shown), and lunr's own tokenizer, which tests
     every character and makes an object per word, took twice as long. */
  function wordKeys(text) {
    var found = [];
    String(text).toLowerCase().split(lunr.tokenizer.separator).forEach(function (word) {
      var k = word && key(word);
      if (k) found.push(k);
    });
    return found;
  }

  /* The index, built on first need: the records are referred to by their position. */
  var index = null;
  function ready() {
    if (!index) {
      index = lunr(function () {
        var builder = this;
        builder.tokenizer = wordKeys;
        builder.pipeline.reset();
        builder.searchPipeline.reset();
        builder.ref("i");
        data.fields.forEach(function (f) { builder.field(f.name, { boost: f.boost }); });
        /* lunr reads the fields declared above (and the ref) from each record. */
        records.forEach(function (r, i) { builder.add(Object.assign({ i: String(i) }, r)); });
      });
    }
    return index;
  }

  function terms(query) {
    var seen = Object.create(null);
    return wordKeys(query).filter(function (k) {
      if (seen[k]) return false;
      seen[k] = true;
      return true;
    });
  }

  /* Every word must match. If nothing does, the last word may still be being typed: it then
     matches the start of words too ("phas" finds "phasing"). */
  function search(wanted, typing) {
    return ready().query(function (q) {
      wanted.forEach(function (k, i) {
        q.term(k, { usePipeline: false, presence: lunr.Query.presence.REQUIRED,
          wildcard: typing && i === wanted.length - 1 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE });
      });
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* `text` into `parent`, each word the search matched in a <mark>; with `around`, only the
     words around the first match, with an ellipsis where text was cut. */
  function highlight(parent, text, matched, around) {
    var parts = text.split(/([\s\-]+)/);
    var words = [];
    for (var i = 0; i < parts.length; i += 2) words.push({ text: parts[i], gap: parts[i + 1] || "" });
    var first = -1;
    words.forEach(function (w, n) {
      var core = w.text.match(/^(\W*)(.*?)(\W*)$/);
      w.core = core;
      w.hit = core[2] !== "" && matched[key(core[2])] === true;
      if (w.hit && first === -1) first = n;
    });
    if (around && first === -1) return false;
    var from = around ? Math.max(0, first - CONTEXT) : 0;
    var to = around ? Math.min(words.length, first + CONTEXT * 2) : words.length;
    if (from > 0) parent.appendChild(document.createTextNode("… "));
    for (var n = from; n < to; n += 1) {
      var w = words[n];
      if (w.hit) {
        parent.appendChild(document.createTextNode(w.core[1]));
        parent.appendChild(element("mark", "", w.core[2]));
        parent.appendChild(document.createTextNode(w.core[3]));
      } else {
        parent.appendChild(document.createTextNode(w.text));
      }
      if (n < to - 1) parent.appendChild(document.createTextNode(w.gap));
    }
    if (to < words.length) parent.appendChild(document.createTextNode(" …"));
    return true;
  }

  function matchedKeys(result) {
    var matched = {};
    Object.keys(result.matchData.metadata).forEach(function (term) { matched[term] = true; });
    return matched;
  }

  function item(result) {
    var r = records[Number(result.ref)];
    var matched = matchedKeys(result);
    var li = element("li", "search-result");
    var heading = element("p", "search-title");
    var link = element("a");
    link.href = root + r.u;
    highlight(link, r.t, matched, false);
    heading.appendChild(element("span", "tag", r.k));
    heading.appendChild(document.createTextNode(" "));
    heading.appendChild(link);
    li.appendChild(heading);
    if (r.s) {
      var summary = element("p", "qualifier");
      highlight(summary, r.s, matched, false);
      li.appendChild(summary);
    }
    var snippet = element("p", "snippet");
    if (highlight(snippet, r.x, matched, true)) li.appendChild(snippet);
    return li;
  }

  function chosenType() {
    var checked = types.filter(function (t) { return t.checked; })[0];
    return checked ? checked.value : "";
  }

  function count(found, value) {
    return found.filter(function (result) { return !value || records[Number(result.ref)].k.toLowerCase() === value; }).length;
  }

  function show(query) {
    var wanted = terms(query);
    list.textContent = "";
    types.forEach(function (t) { t.parentNode.querySelector(".count").textContent = ""; });
    if (!query.trim()) {
      status.textContent = "Type a council, a place, a publisher or a word to search " + records.length + " items.";
      return;
    }
    if (!wanted.length) {
      status.textContent = "“" + query.trim() + "” has only common words, which search leaves out. Try a more specific word.";
      return;
    }
    var found = search(wanted, false);
    if (!found.length && !/[\s\-]$/.test(query)) found = search(wanted, true);
    var type = chosenType();
    types.forEach(function (t) { t.parentNode.querySelector(".count").textContent = "(" + count(found, t.value) + ")"; });
    var shown = found.filter(function (result) { return !type || records[Number(result.ref)].k.toLowerCase() === type; });
    shown.slice(0, LIMIT).forEach(function (result) { list.appendChild(item(result)); });
    var label = " " + (type || "result") + (shown.length === 1 ? "" : "s");
    status.textContent = (shown.length === 0 ? "No" : shown.length) + label + " for “" + query.trim() + "”" +
      (shown.length > LIMIT ? "; showing the first " + LIMIT + "." : ".") +
      (type && found.length > shown.length ? " " + found.length + " of any type." : "");
  }

  function update() {
    var query = input.value;
    var params = new URLSearchParams(location.search);
    if (query.trim()) params.set("q", query.trim()); else params.delete("q");
    if (chosenType()) params.set("type", chosenType()); else params.delete("type");
    try {
      history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    } catch (refused) {
      /* Some browsers refuse address changes on file: pages; search still works. */
    }
    show(query);
  }

  input.form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  input.addEventListener("input", update);
  types.forEach(function (t) { t.addEventListener("change", update); });
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  types.forEach(function (t) { t.checked = t.value === (params.get("type") || ""); });
  show(input.value);
  /* Opened without a query: index once the page is shown, before the first word is typed. */
  if (!index) setTimeout(ready, 0);
}());
