/* Registry pages, progressive enhancement only (every page works without this file):
   - registration: shows likely duplicates while the name or number is typed (the same check runs
     on submit, server side);
   - activity form: shows only the coverage field matching the chosen kind of area. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function duplicateCheck(form) {
    var box = document.getElementById("duplicate-check");
    var name = document.getElementById("legal_name");
    var number = document.getElementById("enterprise_number");
    var postal = document.getElementById("postal_code");
    if (!box || !name) { return; }
    var run = debounce(function () {
      if (name.value.trim().length < 3 && (!number || number.value.trim().length < 9)) {
        box.textContent = "";
        return;
      }
      var params = new URLSearchParams({
        name: name.value, number: number ? number.value : "", postal_code: postal ? postal.value : ""
      });
      fetch(form.dataset.checkUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { duplicates: [] }; })
        .then(function (data) { show(box, data.duplicates || []); })
        .catch(function () { /* the server-side check still runs on submit */ });
    }, 300);
    [name, number, postal].forEach(function (input) {
      if (input) { input.addEventListener("input", run); }
    });
  }

  function show(box, duplicates) {
    box.textContent = "";
    if (!duplicates.length) { return; }
    box.className = "warning";
    var title = document.createElement("p");
    title.textContent = box.dataset.title;
    box.appendChild(title);
    var list = document.createElement("ul");
    duplicates.forEach(function (d) {
      var item = document.createElement("li");
      var what = d.same_number ? box.dataset.sameNumber : box.dataset.similar + " (" + d.score + "/100)";
      item.textContent = d.name + (d.municipality ? " (" + d.municipality + ")" : "") + " — " + what + " — ";
      var link = document.createElement("a");
      link.href = d.request_url;
      link.textContent = box.dataset.request;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function coverageFields(form) {
    var kind = document.getElementById("coverage_kind");
    if (!kind) { return; }
    var blocks = form.querySelectorAll("[data-coverage]");
    function update() {
      blocks.forEach(function (block) { block.hidden = block.dataset.coverage !== kind.value; });
    }
    kind.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var registration = document.getElementById("registration-form");
    if (registration) { duplicateCheck(registration); }
    var activity = document.getElementById("activity-form");
    if (activity) { coverageFields(activity); }
  });
}());
