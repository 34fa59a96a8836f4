/* Two versions side by side (bpmn-js NavigatedViewer): removed elements red on the old one,
   added green on the new one, changed orange on both, each with a text badge; the views
   follow each other; a click in the list shows the element in both. */
(function () {
  "use strict";
  var box = document.getElementById("wb-diff");
  if (!box || typeof window.BpmnJS !== "function") { return; }
  var W = window.Werkbank;
  var data = JSON.parse(document.getElementById("wb-diff-data").textContent);
  var BADGES = { added: "nieuw", removed: "weg", changed: "gewijzigd" };
  var viewers = {};
  var syncing = false;

  function mark(viewer, kinds) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var overlays = viewer.get("overlays");
    kinds.forEach(function (kind) {
      (data[kind] || []).forEach(function (change) {
        var element = registry.get(change.element);
        if (!element) { return; }
        canvas.addMarker(element.id, "wb-" + kind);
        if (element.waypoints || element.type === "bpmn:Lane" || element.type === "bpmn:Participant") { return; }
        overlays.add(element.id, "wb-diff", {
          position: { top: -14, left: 0 },
          html: W.el("span", { className: "wb-diff-badge wb-diff-badge-" + kind, text: BADGES[kind] })
        });
      });
    });
  }

  function open(container, url, kinds) {
    if (!url) { return Promise.resolve(null); }
    return W.getText(url).then(function (xml) {
      var viewer = new window.BpmnJS({ container: container });
      return viewer.importXML(xml).then(function () {
        var fallback = container.querySelector(".wb-fallback");
        if (fallback) { fallback.remove(); }
        W.fitHeight(container, viewer.get("canvas"), 0.6, 380);
        mark(viewer, kinds);
        return viewer;
      });
    }).catch(function () {
      var fallback = container.querySelector(".wb-fallback");
      if (fallback) { fallback.textContent = "Dit diagram kon niet worden geladen."; }
      return null;
    });
  }

  function follow(from, to) {
    if (!from || !to) { return; }
    from.get("eventBus").on("canvas.viewbox.changed", function (event) {
      if (syncing) { return; }
      syncing = true;
      to.get("canvas").viewbox(event.viewbox);
      syncing = false;
    });
  }

  var focused = null;

  function show(id) {
    ["old", "new"].forEach(function (side) {
      var viewer = viewers[side];
      if (!viewer) { return; }
      var registry = viewer.get("elementRegistry");
      var canvas = viewer.get("canvas");
      if (focused && registry.get(focused)) { canvas.removeMarker(focused, "wb-focus"); }
      var element = registry.get(id);
      if (!element) { return; }
      canvas.addMarker(id, "wb-focus");
      syncing = true;
      canvas.scrollToElement(element);
      syncing = false;
    });
    focused = id;
  }

  Promise.all([
    open(document.getElementById("wb-old"), box.getAttribute("data-old-url"), ["removed", "changed"]),
    open(document.getElementById("wb-new"), box.getAttribute("data-new-url"), ["added", "changed"])
  ]).then(function (opened) {
    viewers.old = opened[0];
    viewers.new = opened[1];
    follow(viewers.old, viewers.new);
    follow(viewers.new, viewers.old);
    var first = viewers.new || viewers.old;
    if (first) {
      var ids = [].concat(data.added, data.removed, data.changed).map(function (c) { return c.element; });
      syncing = true;
      W.zoomTo(first.get("canvas"), first.get("elementRegistry"), ids);
      syncing = false;
      if (viewers.new && viewers.old) { viewers.old.get("canvas").viewbox(viewers.new.get("canvas").viewbox()); }
    }
    box.setAttribute("data-ready", "1");
  });

  document.querySelectorAll("button[data-element]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(button.getAttribute("data-element"));
      box.scrollIntoView({ block: "start" });
    });
  });
})();
