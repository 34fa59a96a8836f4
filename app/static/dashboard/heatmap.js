/* The heatmap: the version's diagram (bpmn-js NavigatedViewer) with each task coloured by its
   level and labelled with its figures. The same numbers are in the table below the diagram. */
(function () {
  "use strict";
  var box = document.getElementById("heatmap-diagram");
  var source = document.getElementById("heatmap-data");
  if (!box || !source || typeof window.BpmnJS !== "function") { return; }
  var fallback = box.querySelector(".diagram-fallback");
  var MIN_SCALE = 0.8;
  var data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }

  var viewer = new window.BpmnJS({ container: box });
  viewer.importXML(data.xml).then(function () {
    if (fallback) { fallback.remove(); }
    var canvas = viewer.get("canvas");
    var overlays = viewer.get("overlays");
    var registry = viewer.get("elementRegistry");
    data.elements.forEach(function (item) {
      if (!registry.get(item.id)) { return; }
      canvas.addMarker(item.id, "heat-" + item.level);
      var badge = document.createElement("div");
      badge.className = "heat-badge heat-" + item.level;
      badge.textContent = item.badge;
      badge.title = item.label + ": " + item.badge;
      overlays.add(item.id, "heatmap", { position: { bottom: 4, left: -10 }, html: badge });
    });
    // a wide diagram fitted whole is unreadable: start at its left edge, big enough to read
    canvas.zoom("fit-viewport");
    var view = canvas.viewbox();
    if (view.scale < MIN_SCALE) {
      var width = view.outer.width / MIN_SCALE;
      var height = view.outer.height / MIN_SCALE;
      canvas.viewbox({ x: view.inner.x - 20, y: view.inner.y - 20, width: width, height: height });
    }
  }).catch(function () {
    if (fallback) { fallback.textContent = "Het diagram kon niet worden getoond; de cijfers staan in de tabel hieronder."; }
  });
})();
