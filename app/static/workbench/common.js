/* The workbench pages' small helpers: JSON requests with the CSRF token, Dutch messages,
   building elements without innerHTML (diagram names are text, never markup). */
window.Werkbank = (function () {
  "use strict";

  var STATUS_TEXT = {
    400: "Het verzoek is verlopen of niet compleet verstuurd; er is niets gewijzigd. Laad de pagina opnieuw.",
    401: "U bent niet meer ingelogd. Log opnieuw in; er is niets gewijzigd.",
    403: "U heeft geen toegang tot de werkbank.",
    404: "Niet gevonden.",
    409: "Iemand anders was u voor; er is niets gewijzigd.",
    413: "Het diagram is te groot; er is niets gewijzigd.",
    422: "Het diagram bevat fouten; er is niets gewijzigd.",
    500: "Er ging iets mis aan onze kant; er is niets gewijzigd."
  };

  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      return { status: response.status, data: { ok: false, message: STATUS_TEXT[response.status] || STATUS_TEXT[500] } };
    }
    return response.json().then(function (data) {
      return { status: response.status, data: data };
    });
  }

  /* POST a JSON body; resolves to {status, data} (data.message is always Dutch text). */
  function send(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify(body)
    }).then(answer, function () {
      return { status: 0, data: { ok: false, message: "De server is niet bereikbaar; er is niets gewijzigd." } };
    });
  }

  /* POST a form (FormData) asking for JSON. */
  function sendForm(url, form) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token() },
      body: form
    }).then(answer, function () {
      return { status: 0, data: { ok: false, message: "De server is niet bereikbaar." } };
    });
  }

  function getText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
  }

  /* el("p", {className: "x"}, ["text", child]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) { return; }
      if (key === "className") { node.className = value; }
      else if (key === "text") { node.textContent = value; }
      else if (key.indexOf("on") === 0) { node.addEventListener(key.slice(2), value); }
      else if (key in node && typeof value !== "string") { node[key] = value; }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Show a message in a notice box (kind: success, error, info). */
  function say(box, text, kind) {
    if (!box) { return; }
    box.hidden = !text;
    box.className = "notice notice-" + (kind || "info") + " wb-message";
    box.textContent = "";
    if (text) { box.appendChild(el("p", { text: text })); }
  }

  /* Make a viewer's box as tall as its diagram needs at full width (within limits), then fit. */
  function fitHeight(container, canvas, most, least) {
    var inner = canvas.viewbox().inner;
    if (inner && inner.width > 0) {
      var wanted = container.clientWidth * inner.height / inner.width + 48;
      var height = Math.max(least || 280, Math.min(window.innerHeight * (most || 0.7), wanted));
      container.style.height = Math.round(height) + "px";
      canvas.resized();
    }
    canvas.zoom("fit-viewport");
  }

  /* Show these elements (ids) as large as fits, with some room around them. */
  function zoomTo(canvas, registry, ids) {
    var box = null;
    ids.forEach(function (id) {
      var e = registry.get(id);
      if (!e) { return; }
      var points = e.waypoints || [{ x: e.x, y: e.y }, { x: e.x + e.width, y: e.y + e.height }];
      points.forEach(function (p) {
        box = box ? { x1: Math.min(box.x1, p.x), y1: Math.min(box.y1, p.y), x2: Math.max(box.x2, p.x), y2: Math.max(box.y2, p.y) }
          : { x1: p.x, y1: p.y, x2: p.x, y2: p.y };
      });
    });
    if (!box) { return; }
    var outer = canvas.viewbox().outer;
    var width = Math.max(box.x2 - box.x1 + 240, 700);
    var height = Math.max(box.y2 - box.y1 + 200, width * outer.height / Math.max(outer.width, 1));
    width = Math.max(width, height * outer.width / Math.max(outer.height, 1));
    canvas.viewbox({ x: (box.x1 + box.x2 - width) / 2, y: (box.y1 + box.y2 - height) / 2, width: width, height: height });
  }

  return { fitHeight: fitHeight, zoomTo: zoomTo, send: send, sendForm: sendForm, getText: getText, getJSON: getJSON, el: el, say: say, token: token };
})();
