/* The BPMN modeller page: bpmn-js Modeler with the properties panel (Camunda 7 provider), the
   Voorkom side panel, and lint problems as markers on their elements. */
(function () {
  "use strict";
  var root = document.getElementById("modeller");
  if (!root) { return; }
  var W = window.Werkbank;
  var message = document.getElementById("wb-message");
  if (typeof window.BpmnJS !== "function" || !window.BpmnJSPropertiesPanel) {
    W.say(message, "De modeller kon niet worden geladen. Laad de pagina opnieuw.", "error");
    return;
  }
  var panels = window.BpmnJSPropertiesPanel;

  Promise.all([
    W.getJSON(root.getAttribute("data-moddle-url")),
    W.getJSON(root.getAttribute("data-choices-url")),
    window.WerkbankEditor.load(root)
  ]).then(function (loaded) {
    var modeler = new window.BpmnJS({
      container: "#wb-canvas",
      propertiesPanel: { parent: "#wb-properties" },
      additionalModules: [
        panels.BpmnPropertiesPanelModule,
        panels.BpmnPropertiesProviderModule,
        panels.CamundaPlatformPropertiesProviderModule
      ],
      moddleExtensions: { camunda: loaded[0] }
    });
    window.werkbankModeler = modeler; // for the browser test and the curious
    return modeler.importXML(loaded[2]).then(function (imported) {
      var canvas = modeler.get("canvas");
      var overlays = modeler.get("overlays");
      var registry = modeler.get("elementRegistry");
      canvas.zoom("fit-viewport");
      var panel = window.VoorkomPanel.create(modeler, loaded[1], document.getElementById("wb-voorkom"));
      var marked = [];
      var adapter = {
        saveXML: function () {
          return modeler.saveXML({ format: true }).then(function (r) { return r.xml; });
        },
        has: function (id) { return !!registry.get(id); },
        show: function (id) {
          panel.show(id);
          var heading = document.getElementById("vk-element");
          if (heading) { heading.focus(); }
        },
        mark: function (problems) {
          overlays.remove({ type: "wb-problem" });
          marked.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, "wb-problem"); } });
          marked = [];
          var counts = {};
          problems.forEach(function (p) {
            if (p.element && (!p.file || p.file === root.getAttribute("data-file")) && registry.get(p.element)) {
              counts[p.element] = (counts[p.element] || 0) + 1;
            }
          });
          Object.keys(counts).forEach(function (id) {
            var element = registry.get(id);
            canvas.addMarker(id, "wb-problem");
            marked.push(id);
            if (element.waypoints) { return; }
            overlays.add(id, "wb-problem", {
              position: { top: -12, right: 12 },
              html: W.el("span", { className: "wb-problem-badge", title: counts[id] + " probleem/problemen", text: "!" + (counts[id] > 1 ? counts[id] : "") })
            });
          });
        }
      };
      var editor = window.WerkbankEditor.start(root, adapter);
      modeler.get("eventBus").on("commandStack.changed", function () { editor.setDirty(true); });
      var fallback = document.getElementById("wb-loading");
      if (fallback) { fallback.remove(); }
      if (imported.warnings && imported.warnings.length) {
        W.say(message, "Het diagram is geladen met " + imported.warnings.length + " waarschuwing(en) van de modeller; controleer het voor u uitrolt.", "info");
      }
      root.setAttribute("data-ready", "1");
    });
  }).catch(function (error) {
    W.say(message, "Het diagram kon niet worden geladen: " + (error && error.message ? error.message : error), "error");
  });
})();
