// Progress of a background document job (issue 8): polls /jobs/<id>.json and updates the
// <progress> element and its text; shows the download link when done, the message when failed.
// Without JavaScript the page refreshes itself (<noscript><meta http-equiv="refresh">).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var message = document.getElementById("job-message");
  var ready = document.getElementById("job-ready");
  var failed = document.getElementById("job-failed");
  var failedMessage = document.getElementById("job-failed-message");
  var hint = document.getElementById("job-refresh-hint");
  var delay = 1000;

  function show(data) {
    if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
    if (percent) { percent.textContent = data.progress + " %"; }
    if (message && data.message) { message.textContent = data.message; }
    box.dataset.status = data.status;
    if (data.done) {
      if (ready) {
        var link = ready.querySelector("a");
        if (link && data.download_url) { link.href = data.download_url; }
        ready.hidden = false;
        if (link) { link.focus(); }
      }
      if (hint) { hint.hidden = true; }
      return true;
    }
    if (data.failed) {
      if (failedMessage) { failedMessage.textContent = data.message; }
      if (failed) { failed.hidden = false; }
      if (hint) { hint.hidden = true; }
      return true;
    }
    return false;
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!show(data)) { setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the server is busy or gone: try again, slower
        setTimeout(poll, delay);
      });
  }

  setTimeout(poll, delay);
}());
