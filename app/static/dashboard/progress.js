/* A running job: ask how far it is every second; show it; reload the page when it is done.
   Without JavaScript the page refreshes itself (meta refresh in a noscript). */
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var step = box.querySelector(".job-step");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.setTimeout(poll, 3000); return; }
        if (job.finished) { window.location.reload(); return; }
        if (step) { step.textContent = job.step_text; }
        if (bar) {
          if (job.percent === null) { bar.removeAttribute("value"); }
          else { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
