/* Bulk migration with a progress bar: the page asks for one batch after another (each case
   in its own transaction on the server) until none remain, or until "Stoppen". */
(function () {
  "use strict";
  var form = document.getElementById("wb-migrate");
  if (!form) { return; }
  var W = window.Werkbank;
  var box = document.getElementById("wb-progress-box");
  var bar = document.getElementById("wb-progress");
  var text = document.getElementById("wb-progress-text");
  var stayedList = document.getElementById("wb-progress-stayed");
  var start = document.getElementById("wb-migrate-start");
  var stop = document.getElementById("wb-migrate-stop");
  var stopping = false;

  stop.addEventListener("click", function () { stopping = true; stop.disabled = true; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!window.confirm("De zaken nu echt verplaatsen? Dit kan niet ongedaan worden gemaakt.")) { return; }
    var total = null;
    var moved = 0;
    var stayed = 0;
    var after = form.elements.na.value || "0";
    stopping = false;
    start.disabled = true;
    stop.hidden = false;
    stop.disabled = false;
    box.hidden = false;
    stayedList.textContent = "";

    function finish(message) {
      text.textContent = message;
      start.disabled = false;
      stop.hidden = true;
      form.elements.na.value = after;
      box.setAttribute("data-done", "1");
    }

    function step() {
      var data = new FormData(form);
      data.set("na", after);
      W.sendForm(form.action, data).then(function (result) {
        var answer = result.data;
        if (!answer.ok) { finish(answer.message); return; }
        if (total === null) { total = answer.total; bar.max = Math.max(1, total); }
        moved += answer.moved.length;
        stayed += answer.stayed.length;
        answer.stayed.forEach(function (c) {
          stayedList.appendChild(W.el("li", { text: c.reference + " blijft op versie " + c.from_version + ": " + c.reasons.join("; ") }));
        });
        after = String(answer.last_id);
        bar.value = moved + stayed;
        var done = moved + stayed;
        text.textContent = done + " van " + total + " zaken verwerkt: " + moved + " verplaatst, " + stayed + " blijven op hun versie.";
        if (answer.remaining === 0) {
          finish(text.textContent + " Klaar.");
          start.hidden = true;
          box.appendChild(W.el("p", {}, [W.el("a", { href: window.location.pathname + window.location.search, text: "Opnieuw bekijken welke zaken nog op een oudere versie staan" })]));
          return;
        }
        if (stopping) {
          finish(text.textContent + " Gestopt; nog " + answer.remaining + " te doen.");
          return;
        }
        step();
      });
    }
    step();
  });
})();
