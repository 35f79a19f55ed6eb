// Live insertion-hour calculator on the tender form. The page works without it: the hours are
// also computed on submit ("Compute without saving" or "Save the draft") by the same Python code.
(function () {
  "use strict";
  var output = document.getElementById("insertion-hours");
  if (!output || !window.fetch) { return; }
  var ids = ["estimated_value", "labour_share_pct", "insertion_rate_pct", "hourly_cost", "cpv_main"];
  var fields = {};
  ids.forEach(function (id) { fields[id] = document.getElementById(id); });
  var timer = null;

  function update() {
    var params = new URLSearchParams({
      amount: fields.estimated_value ? fields.estimated_value.value : "",
      labour_share_pct: fields.labour_share_pct ? fields.labour_share_pct.value : "",
      rate_pct: fields.insertion_rate_pct ? fields.insertion_rate_pct.value : "",
      hourly_cost: fields.hourly_cost ? fields.hourly_cost.value : "",
      cpv: fields.cpv_main ? fields.cpv_main.value : ""
    });
    fetch(output.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (fields.labour_share_pct && data.suggested_labour_share_pct) {
          fields.labour_share_pct.placeholder = data.suggested_labour_share_pct;
        }
        output.textContent = data.hours !== null && data.hours !== undefined ? data.text : (data.error || "—");
      })
      .catch(function () { /* keep the last value; the server computes on submit */ });
  }

  ids.forEach(function (id) {
    if (fields[id]) {
      fields[id].addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(update, 250);
      });
    }
  });
})();
