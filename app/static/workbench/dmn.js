/* The DMN table editor page: dmn-js Modeler on a decision file, with the same toolbar as the
   BPMN modeller (draft, check, deploy, download); a problem on a decision opens its table. */
(function () {
  "use strict";
  var root = document.getElementById("modeller");
  if (!root) { return; }
  var W = window.Werkbank;
  var message = document.getElementById("wb-message");
  if (typeof window.DmnJS !== "function") {
    W.say(message, "De tabel-editor kon niet worden geladen. Laad de pagina opnieuw.", "error");
    return;
  }
  var views = document.getElementById("wb-views");

  window.WerkbankEditor.load(root).then(function (xml) {
    var dmn = new window.DmnJS({ container: "#wb-canvas" });
    window.werkbankDmn = dmn;
    var editor = null;

    function watch() {
      var viewer = dmn.getActiveViewer();
      if (viewer && !viewer.werkbankWatched) {
        viewer.werkbankWatched = true;
        viewer.get("eventBus").on("commandStack.changed", function () { if (editor) { editor.setDirty(true); } });
      }
    }

    function listViews() {
      views.textContent = "";
      var active = dmn.getActiveView();
      dmn.getViews().forEach(function (view) {
        var label = (view.type === "drd" ? "Overzicht (DRD)" : (view.element.name || view.element.id)) +
          (view.type === "decisionTable" ? " – tabel" : "");
        var button = W.el("button", {
          type: "button", className: "secondary small", text: label,
          "aria-pressed": active && active.element === view.element && active.type === view.type ? "true" : "false",
          onclick: function () { dmn.open(view); }
        });
        views.appendChild(W.el("li", {}, [button]));
      });
    }

    function openDecision(id) {
      var view = dmn.getViews().filter(function (v) { return v.element.id === id && v.type !== "drd"; })[0];
      if (view) { return dmn.open(view); }
      return Promise.resolve();
    }

    dmn.on("views.changed", function () { watch(); listViews(); });
    return dmn.importXML(xml).then(function (imported) {
      var table = dmn.getViews().filter(function (v) { return v.type === "decisionTable"; })[0];
      var opened = table ? dmn.open(table) : Promise.resolve();
      return Promise.resolve(opened).then(function () {
        watch();
        listViews();
        editor = window.WerkbankEditor.start(root, {
          saveXML: function () { return dmn.saveXML({ format: true }).then(function (r) { return r.xml; }); },
          has: function (id) {
            return dmn.getViews().some(function (v) { return v.element.id === id; });
          },
          show: function (id) { openDecision(id); },
          mark: function () { /* the list names each decision; its button opens the table */ }
        });
        var fallback = document.getElementById("wb-loading");
        if (fallback) { fallback.remove(); }
        if (imported.warnings && imported.warnings.length) {
          W.say(message, "De tabel is geladen met " + imported.warnings.length + " waarschuwing(en); controleer hem voor u uitrolt.", "info");
        }
        root.setAttribute("data-ready", "1");
      });
    });
  }).catch(function (error) {
    W.say(message, "De beslistabel kon niet worden geladen: " + (error && error.message ? error.message : error), "error");
  });
})();
