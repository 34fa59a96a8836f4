/* The task's diagram (bpmn-js NavigatedViewer) with the current task marked and in view. */
(function () {
  "use strict";
  var box = document.getElementById("diagram");
  if (!box || typeof window.BpmnJS !== "function") { return; }
  var activity = box.getAttribute("data-activity");
  var fallback = box.querySelector(".diagram-fallback");

  function fail(text) {
    if (fallback) { fallback.textContent = text; }
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    })
    .then(function (xml) {
      var viewer = new window.BpmnJS({ container: box });
      return viewer.importXML(xml).then(function () {
        if (fallback) { fallback.remove(); }
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        var element = activity && registry.get(activity);
        if (!element) { canvas.zoom("fit-viewport"); return; }
        var root = canvas.findRoot ? canvas.findRoot(element) : null;
        if (root && root !== canvas.getRootElement()) { canvas.setRootElement(root); }
        canvas.addMarker(activity, "current-task");
        canvas.zoom("fit-viewport");
        var box2 = canvas.viewbox();
        var centre = { x: element.x + element.width / 2, y: element.y + element.height / 2 };
        if (box2.scale < 0.6) {
          canvas.zoom(0.8, centre);
        }
        canvas.scrollToElement(element);
      });
    })
    .catch(function () {
      fail("Het procesdiagram kon niet worden geladen.");
    });
})();
