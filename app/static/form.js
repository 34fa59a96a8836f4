/* Voorkom forms: focus the error summary, and add/remove repeating-group items in place.
   Without JavaScript the same buttons post the form and the server redraws it. */
(function () {
  "use strict";

  function focusOnLoad() {
    var summary = document.getElementById("foutoverzicht");
    if (summary) { summary.focus(); return; }
    var form = document.querySelector("form[data-focus]");
    if (form) {
      var target = document.getElementById(form.getAttribute("data-focus"));
      if (target) { target.focus(); }
    }
  }

  function announce(text) {
    var region = document.getElementById("aankondiging");
    if (!region) {
      region = document.createElement("div");
      region.id = "aankondiging";
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  function renumber(group) {
    var label = group.getAttribute("data-item-label") || "";
    var items = group.querySelectorAll(":scope > .repeat-items > .repeat-item");
    items.forEach(function (item, i) {
      var legend = item.querySelector(":scope > legend");
      if (legend) { legend.textContent = label + " " + (i + 1); }
      var remove = item.querySelector(":scope > button.remove");
      if (remove) { remove.textContent = label + " " + (i + 1) + " verwijderen"; }
    });
    var empty = group.querySelector(":scope > .repeat-empty");
    if (empty) { empty.hidden = items.length > 0; }
  }

  function nextIndex(group) {
    var name = group.getAttribute("data-repeat");
    var highest = -1;
    group.querySelectorAll("input[name$='-_item']").forEach(function (marker) {
      var match = marker.name.match(new RegExp("^" + name + "-(\\d+)-_item$"));
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  function addItem(group) {
    var template = group.querySelector(":scope > template.repeat-template");
    if (!template) { return; }
    var index = String(nextIndex(group));
    var html = template.innerHTML.split("__index__").join(index).split("__number__").join(index);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var item = holder.firstElementChild;
    group.querySelector(":scope > .repeat-items").appendChild(item);
    renumber(group);
    var first = item.querySelector("input:not([type=hidden]), select, textarea");
    (first || item).focus();
    announce((group.getAttribute("data-item-label") || "Regel") + " toegevoegd");
  }

  function removeItem(group, item) {
    item.parentNode.removeChild(item);
    renumber(group);
    var add = group.querySelector(":scope > button.add");
    if (add) { add.focus(); }
    announce((group.getAttribute("data-item-label") || "Regel") + " verwijderd");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=_action]");
    if (!button) { return; }
    var value = button.value || "";
    var group = button.closest("fieldset.repeat");
    if (!group) { return; }
    if (value.indexOf("add:") === 0) {
      event.preventDefault();
      addItem(group);
    } else if (value.indexOf("remove:") === 0) {
      event.preventDefault();
      removeItem(group, button.closest(".repeat-item"));
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusOnLoad);
  } else {
    focusOnLoad();
  }
})();
