// wiredesk dashboard enhancements. Everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Ask before removing a feed.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  // "/" focuses the search box.
  var q = document.querySelector(".search input[type=search]");
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && q && document.activeElement !== q && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault(); q.focus();
    }
  });
  // Filter selects submit on change.
  document.querySelectorAll(".search select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
});

// The story list follows /api/events (README, "Push"): a changed story
// moves to the top with its new outlets and copy count, a new one is
// added. Only on the unfiltered first page; without this file the page is
// the same list, as of its load.
document.addEventListener("DOMContentLoaded", function () {
  var list = document.querySelector("table.story-list tbody");
  if (!list || location.search !== "" || !window.EventSource) { return; }
  var es = new EventSource("/api/events");
  es.addEventListener("story", function (ev) {
    var s;
    try { s = JSON.parse(ev.data); } catch (e) { return; }
    if (!s || !s.id || s.deleted) { return; }
    var row = list.querySelector('tr.story-row[data-id="' + String(Number(s.id)) + '"]');
    if (!row) { row = newStoryRow(s); }
    var a = row.querySelector("td.title a");
    if (a && s.title) { a.textContent = s.title; }
    var outlets = row.querySelector(".outlets");
    if (outlets && s.outlets) { outlets.textContent = s.outlets.join(", "); }
    var count = row.querySelector(".count");
    if (count) { count.textContent = String(s.articles); }
    row.classList.add("live");
    list.insertBefore(row, list.firstChild);
  });
});

// newStoryRow builds a story list row for s, as the server renders one.
function newStoryRow(s) {
  var tr = document.createElement("tr");
  tr.className = "story-row";
  tr.setAttribute("data-id", String(Number(s.id)));
  var cells = ["when", "title", "num", "", "", ""].map(function (cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  });
  cells[0].textContent = "just now";
  var a = document.createElement("a");
  a.href = "/stories/" + String(Number(s.id));
  a.lang = s.lang || "";
  a.dir = "auto";
  cells[1].appendChild(a);
  var outlets = document.createElement("div");
  outlets.className = "outlets";
  outlets.dir = "auto";
  cells[1].appendChild(outlets);
  var count = document.createElement("span");
  count.className = "count";
  cells[2].appendChild(count);
  if (s.origin) { cells[3].textContent = s.origin; }
  cells[4].textContent = s.first_outlet || "";
  cells[4].dir = "auto";
  return tr;
}
