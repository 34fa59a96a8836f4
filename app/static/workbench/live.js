/* The live view: per element a badge with the cases waiting there and how many are late; a
   click (on the badge or in the table) lists the case references. Counts and references only. */
(function () {
  "use strict";
  var box = document.getElementById("wb-live");
  if (!box) { return; }
  var W = window.Werkbank;
  var el = W.el;
  var data = JSON.parse(document.getElementById("wb-live-data").textContent);
  var target = document.getElementById("wb-cases");
  var title = document.getElementById("wb-cases-title");
  var casesUrl = box.getAttribute("data-cases-url");

  function list(id, name) {
    target.textContent = "";
    target.appendChild(el("p", { className: "hint", text: "Laden…" }));
    W.getJSON(casesUrl.replace("__ID__", encodeURIComponent(id))).then(function (answer) {
      title.textContent = "Zaken bij ‘" + name + "’";
      target.textContent = "";
      if (!answer.cases.length) {
        target.appendChild(el("p", { text: "Hier wacht nu geen zaak." }));
        return;
      }
      var rows = answer.cases.map(function (c) {
        return el("tr", { className: c.overdue ? "overdue" : "" }, [
          el("td", { text: c.reference }),
          el("td", { text: c.due || "—" }),
          el("td", {}, [c.overdue ? el("span", { className: "badge badge-overdue", text: "te laat" }) : "nee"])
        ]);
      });
      target.appendChild(el("table", { className: "data" }, [
        el("caption", { text: answer.cases.length + " " + (answer.cases.length === 1 ? "zaak" : "zaken") + ", te laat eerst" }),
        el("thead", {}, [el("tr", {}, [
          el("th", { scope: "col", text: "Zaak" }), el("th", { scope: "col", text: "Termijn" }),
          el("th", { scope: "col", text: "Te laat" })
        ])]),
        el("tbody", {}, rows)
      ]));
      title.focus();
    }).catch(function () {
      target.textContent = "";
      target.appendChild(el("p", { text: "De zaken konden niet worden geladen." }));
    });
  }

  document.querySelectorAll("button[data-element]").forEach(function (button) {
    button.addEventListener("click", function () {
      list(button.getAttribute("data-element"), button.getAttribute("data-name"));
    });
  });

  if (typeof window.BpmnJS !== "function") { return; }
  W.getText(box.getAttribute("data-src")).then(function (xml) {
    var viewer = new window.BpmnJS({ container: box });
    return viewer.importXML(xml).then(function () {
      var fallback = box.querySelector(".wb-fallback");
      if (fallback) { fallback.remove(); }
      var canvas = viewer.get("canvas");
      var overlays = viewer.get("overlays");
      var registry = viewer.get("elementRegistry");
      W.fitHeight(box, canvas, 0.75, 420);
      data.forEach(function (item) {
        if (!registry.get(item.id)) { return; }
        canvas.addMarker(item.id, item.overdue ? "wb-late" : "wb-waiting");
        var label = item.waiting + (item.overdue ? " · " + item.overdue + " te laat" : "");
        overlays.add(item.id, "wb-live", {
          position: { top: -16, right: 16 },
          html: el("button", {
            type: "button",
            className: "wb-count" + (item.overdue ? " wb-count-late" : ""),
            onclick: function () { list(item.id, item.name); }
          }, [label, el("span", { className: "visually-hidden", text: " wachtend bij " + item.name + ": toon de zaken" })])
        });
      });
      var busy = data.filter(function (d) { return d.kind !== "subprocess"; }).map(function (d) { return d.id; });
      if (busy.length) { W.zoomTo(canvas, registry, busy); }
      viewer.get("eventBus").on("element.click", function (event) {
        var found = data.filter(function (d) { return d.id === event.element.id; })[0];
        if (found) { list(found.id, found.name); }
      });
      box.setAttribute("data-ready", "1");
    });
  }).catch(function () {
    var fallback = box.querySelector(".wb-fallback");
    if (fallback) { fallback.textContent = "Het diagram kon niet worden geladen; de tabel hieronder toont dezelfde aantallen."; }
  });
})();
