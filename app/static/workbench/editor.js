/* The editor toolbar shared by the BPMN modeller and the DMN table editor: save a draft, check
   with the lint rules (problems listed and handed to the editor to mark), deploy after a
   confirmation, download. `adapter` = {saveXML(), mark(problems), show(id), has(id)}. */
window.WerkbankEditor = (function () {
  "use strict";
  var W = window.Werkbank;
  var el = W.el;

  function start(root, adapter) {
    var file = root.getAttribute("data-file");
    var version = Number(root.getAttribute("data-version"));
    var process = root.getAttribute("data-process");
    var urls = {
      save: root.getAttribute("data-save-url"),
      check: root.getAttribute("data-check-url"),
      deploy: root.getAttribute("data-deploy-url")
    };
    var message = document.getElementById("wb-message");
    var status = document.getElementById("wb-status");
    var list = document.getElementById("wb-problems");
    var dialog = document.getElementById("wb-confirm");
    var dialogText = document.getElementById("wb-confirm-text");
    var forceButton = document.getElementById("wb-force");
    var dirty = false;
    var busy = false;

    function setDirty(value) {
      dirty = value;
      status.textContent = value ? "Niet opgeslagen wijzigingen." : "";
    }

    function body(xml, extra) {
      var data = { bestand: file, xml: xml, versie: version };
      Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
      return data;
    }

    function lock(value) {
      busy = value;
      root.querySelectorAll(".wb-toolbar button, dialog button").forEach(function (b) { b.disabled = value; });
    }

    function showProblems(problems) {
      list.textContent = "";
      var section = document.getElementById("wb-problems-section");
      section.hidden = !problems.length;
      adapter.mark(problems);
      problems.forEach(function (problem) {
        var where = (problem.file && problem.file !== file ? problem.file + " " : "") +
          (problem.element ? "[" + problem.element + "]" : "");
        var item = el("li", {}, []);
        if (problem.element && (!problem.file || problem.file === file) && adapter.has(problem.element)) {
          item.appendChild(el("button", {
            type: "button", className: "link-button",
            onclick: function () { adapter.show(problem.element); },
            text: problem.element
          }));
          item.appendChild(document.createTextNode(": " + problem.message));
        } else {
          item.appendChild(document.createTextNode((where ? where + ": " : "") + problem.message));
        }
        list.appendChild(item);
      });
    }

    function run(url, extra) {
      lock(true);
      return adapter.saveXML().then(function (xml) {
        return W.send(url, body(xml, extra));
      }).then(function (result) {
        lock(false);
        return result;
      }, function (error) {
        lock(false);
        W.say(message, "Het diagram kon niet worden gelezen: " + (error && error.message ? error.message : error), "error");
        throw error;
      });
    }

    function save() {
      return run(urls.save).then(function (result) {
        W.say(message, result.data.message, result.data.ok ? "success" : "error");
        if (result.data.ok) { setDirty(false); }
        return result;
      });
    }

    function check() {
      return run(urls.check).then(function (result) {
        showProblems(result.data.problems || []);
        W.say(message, result.data.message, result.data.ok ? "success" : "error");
        return result;
      });
    }

    function deploy(force) {
      return run(urls.deploy, force ? { toch: true } : {}).then(function (result) {
        var data = result.data;
        if (data.ok) {
          dialog.close();
          setDirty(false);
          showProblems([]);
          W.say(message, data.message, "success");
          if (data.created && data.created.length) {
            var links = el("ul", {});
            data.created.forEach(function (v) {
              if (v.process_id === process) { version = v.version; }
              links.appendChild(el("li", {}, [
                el("a", { href: v.history, text: v.name + " (" + v.process_id + ") versie " + v.version })
              ]));
            });
            message.appendChild(links);
          }
          message.focus();
          return;
        }
        forceButton.hidden = result.status !== 409;
        dialogText.textContent = data.message;
        if (result.status !== 409) {
          dialog.close();
          showProblems(data.problems || []);
          W.say(message, data.message, "error");
          message.focus();
        }
      });
    }

    document.getElementById("wb-save").addEventListener("click", function () { save(); });
    document.getElementById("wb-check").addEventListener("click", function () { check(); });
    document.getElementById("wb-deploy").addEventListener("click", function () {
      check().then(function (result) {
        if (!result.data.ok) { message.focus(); return; }
        forceButton.hidden = true;
        dialogText.textContent = "Nieuwe zaken starten daarna op de nieuwe versie. Lopende zaken blijven op hun versie, tot u ze migreert.";
        dialog.showModal();
      });
    });
    document.getElementById("wb-confirm-yes").addEventListener("click", function () { deploy(false); });
    forceButton.addEventListener("click", function () { deploy(true); });
    document.getElementById("wb-confirm-no").addEventListener("click", function () { dialog.close(); });
    document.getElementById("wb-download").addEventListener("click", function () {
      adapter.saveXML().then(function (xml) {
        var link = el("a", {
          href: URL.createObjectURL(new Blob([xml], { type: "application/xml" })),
          download: file.split("/").pop()
        });
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !busy) { event.preventDefault(); event.returnValue = ""; }
    });
    lock(false);
    return { setDirty: setDirty, showProblems: showProblems };
  }

  /* Fetch the draft (when there is one) or the deployed file. */
  function load(root) {
    var url = root.getAttribute("data-has-draft") === "1" ? root.getAttribute("data-draft-url") : root.getAttribute("data-source-url");
    return W.getText(url);
  }

  return { start: start, load: load };
})();
