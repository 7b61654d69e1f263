/* Councils index: filter by status, age, region and kind, find by name or alias, sort by any
   column ("not reported" last whichever the direction).
   The table works without this script; with it, the filter state lives in the address. */
(function () {
  "use strict";
  var form = document.getElementById("council-filters");
  var table = document.getElementById("councils-table");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var count = document.getElementById("council-count");
  var noMatch = document.getElementById("no-match");
  var fields = ["q", "status", "age", "region", "kind"];
  var sort = { key: "", descending: false };

  function remember(query) {
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (refused) {
      /* Some browsers refuse address changes on file: pages; the filters still work. */
    }
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value && !o.disabled; });
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var control = form.elements[name];
      var value = params.get(name) || "";
      control.value = control.tagName === "SELECT" && !hasOption(control, value) ? "" : value;
    });
    var key = params.get("sort") || "";
    sort.key = headers.some(function (th) { return th.dataset.key === key; }) ? key : "";
    sort.descending = params.get("order") === "desc";
  }

  function writeAddress() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    });
    if (sort.key) params.set("sort", sort.key);
    if (sort.key && sort.descending) params.set("order", "desc");
    var query = params.toString();
    remember(query);
  }

  function filter() {
    var terms = fold(form.elements.q.value).split(/\s+/).filter(Boolean);
    var wanted = { status: form.elements.status.value, age: form.elements.age.value,
                   region: form.elements.region.value, kind: form.elements.kind.value };
    var shown = 0;
    rows.forEach(function (row) {
      var text = fold(row.dataset.text);
      var match = Object.keys(wanted).every(function (k) { return !wanted[k] || row.dataset[k] === wanted[k]; }) &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown === rows.length ? "Showing all " + rows.length + " councils."
      : "Showing " + shown + " of " + rows.length + " councils.";
    noMatch.hidden = shown !== 0;
  }

  /* null for a cell with an empty data-value: nothing reported. */
  function value(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (raw === "") return null;
    return type === "number" ? parseFloat(raw) : fold(raw);
  }

  function order() {
    var index = -1;
    headers.forEach(function (th, i) {
      var button = th.querySelector("button");
      if (th.dataset.key === sort.key) index = i;
      th.removeAttribute("aria-sort");
      if (button) button.dataset.state = "";
    });
    var sorted = rows.slice();
    if (index >= 0) {
      var th = headers[index], sign = sort.descending ? -1 : 1, type = th.dataset.sort;
      th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
      th.querySelector("button").dataset.state = sort.descending ? "descending" : "ascending";
      sorted.sort(function (a, b) {
        var x = value(a, index, type), y = value(b, index, type);
        if (x === null || y === null) {
          return (x === null) - (y === null) || rows.indexOf(a) - rows.indexOf(b);
        }
        return (x < y ? -1 : x > y ? 1 : 0) * sign || rows.indexOf(a) - rows.indexOf(b);
      });
    }
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  function update() {
    filter();
    order();
    writeAddress();
  }

  headers.forEach(function (th) {
    if (!th.dataset.sort) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      sort.descending = sort.key === th.dataset.key ? !sort.descending : false;
      sort.key = th.dataset.key;
      update();
    });
  });
  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("reset", function () {
    sort.key = "";
    window.setTimeout(update, 0);
  });
  readAddress();
  form.classList.add("ready");
  table.classList.add("sortable");
  update();
}());
