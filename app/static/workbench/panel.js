/* The "Voorkom" side panel beside the modeller: choose instead of type. For the selected element
   it offers the registered forms, the lane roles, deadlines and timers in working or calendar
   days, gateway conditions with the forms' variables, decision references and service
   operations; every choice is a modeling command (undo works, the properties panel follows). */
window.VoorkomPanel = (function () {
  "use strict";
  var el = window.Werkbank.el;

  var TYPE_LABELS = {
    "bpmn:UserTask": "gebruikerstaak", "bpmn:ServiceTask": "servicetaak",
    "bpmn:BusinessRuleTask": "beslistaak", "bpmn:ScriptTask": "scripttaak",
    "bpmn:CallActivity": "aanroep deelproces", "bpmn:SubProcess": "subproces",
    "bpmn:StartEvent": "startgebeurtenis", "bpmn:EndEvent": "eindgebeurtenis",
    "bpmn:IntermediateCatchEvent": "tussengebeurtenis", "bpmn:BoundaryEvent": "randgebeurtenis",
    "bpmn:ExclusiveGateway": "keuze (exclusief)", "bpmn:InclusiveGateway": "keuze (inclusief)",
    "bpmn:ParallelGateway": "parallel", "bpmn:SequenceFlow": "stroom", "bpmn:Lane": "baan",
    "bpmn:Participant": "pool", "bpmn:Task": "taak", "bpmn:ManualTask": "handmatige taak",
    "bpmn:ReceiveTask": "ontvangsttaak", "bpmn:SendTask": "verzendtaak"
  };
  var PICKABLE = ["bpmn:UserTask", "bpmn:ServiceTask", "bpmn:BusinessRuleTask", "bpmn:CallActivity",
    "bpmn:ScriptTask", "bpmn:StartEvent", "bpmn:IntermediateCatchEvent", "bpmn:BoundaryEvent",
    "bpmn:ExclusiveGateway", "bpmn:InclusiveGateway", "bpmn:Lane", "bpmn:ManualTask", "bpmn:ReceiveTask"];
  var WORKDAYS = /werkdagen\(\s*(\d+)\s*\)/g;
  var counter = 0;

  function uid(prefix) { counter += 1; return prefix + "-" + counter; }

  /* --- deadlines: "${werkdagen(n)}" | "P{n}D" | an expression with werkdagen(n) parts ------ */

  function parseDeadline(value) {
    var text = (value || "").trim();
    if (!text) { return { kind: "none" }; }
    var simple = /^(?:\$\{\s*werkdagen\(\s*(\d+)\s*\)\s*\}|werkdagen\(\s*(\d+)\s*\))$/.exec(text);
    if (simple) { return { kind: "simple", n: Number(simple[1] || simple[2]), unit: "werkdagen" }; }
    var days = /^P(\d+)D$/i.exec(text);
    if (days) { return { kind: "simple", n: Number(days[1]), unit: "kalenderdagen" }; }
    var parts = [];
    var match;
    WORKDAYS.lastIndex = 0;
    while ((match = WORKDAYS.exec(text)) !== null) { parts.push(Number(match[1])); }
    if (parts.length) {
      var choice = /^\s*(?:\$\{)?\s*werkdagen\(\s*\d+\s*\)\s+if\s+(.+?)\s+else\s+werkdagen\(\s*\d+\s*\)\s*\}?\s*$/.exec(text);
      var labels = choice && parts.length === 2 ? ["als " + choice[1], "anders"]
        : parts.map(function (_n, i) { return "termijn " + (i + 1); });
      return { kind: "parts", parts: parts, labels: labels, text: text };
    }
    return { kind: "other", text: text };
  }

  function writeSimple(n, unit) {
    if (n === "" || n === null || isNaN(Number(n))) { return undefined; }
    var days = Math.max(0, Math.round(Number(n)));
    return unit === "kalenderdagen" ? "P" + days + "D" : "${werkdagen(" + days + ")}";
  }

  function replacePart(text, index, n) {
    var seen = -1;
    return text.replace(WORKDAYS, function (whole) {
      seen += 1;
      return seen === index ? "werkdagen(" + Math.max(0, Math.round(Number(n))) + ")" : whole;
    });
  }

  /* A fieldset to edit a deadline; onChange(newValue or undefined). */
  function deadlineEditor(legend, value, onChange, help) {
    var parsed = parseDeadline(value);
    var box = el("fieldset", { className: "wb-fieldset" }, [el("legend", { text: legend })]);
    if (help) { box.appendChild(el("p", { className: "hint", text: help })); }
    if (parsed.kind === "parts") {
      box.appendChild(el("p", { className: "hint" }, ["Nu: ", el("code", { text: parsed.text })]));
      parsed.parts.forEach(function (n, index) {
        var id = uid("vk-part");
        var input = el("input", { id: id, type: "number", min: "0", max: "365", step: "1", value: String(n), className: "short" });
        input.addEventListener("change", function () {
          if (input.value === "") { return; }
          onChange(replacePart(parsed.text, index, input.value));
        });
        box.appendChild(el("div", { className: "wb-row" }, [
          el("label", { for: id, text: parsed.labels[index] }), input, el("span", { text: " werkdagen" })
        ]));
      });
      return box;
    }
    if (parsed.kind === "other") {
      box.appendChild(el("p", { className: "hint" }, [
        "Eigen uitdrukking: ", el("code", { text: parsed.text }),
        ". Wijzig die in het eigenschappenpaneel, of vervang hem hieronder door een vaste termijn."
      ]));
    }
    var numberId = uid("vk-days");
    var unitId = uid("vk-unit");
    var number = el("input", {
      id: numberId, type: "number", min: "0", max: "365", step: "1", className: "short",
      value: parsed.kind === "simple" ? String(parsed.n) : ""
    });
    var unit = el("select", { id: unitId }, [
      el("option", { value: "werkdagen", text: "werkdagen" }),
      el("option", { value: "kalenderdagen", text: "kalenderdagen" })
    ]);
    unit.value = parsed.kind === "simple" ? parsed.unit : "werkdagen";
    function apply() { onChange(writeSimple(number.value, unit.value)); }
    number.addEventListener("change", apply);
    unit.addEventListener("change", function () { if (number.value !== "") { apply(); } });
    box.appendChild(el("div", { className: "wb-row" }, [
      el("label", { for: numberId, text: "Aantal" }), number,
      el("label", { for: unitId, className: "visually-hidden", text: "Soort dagen" }), unit
    ]));
    box.appendChild(el("p", { className: "hint", text: "Leeg laten: geen termijn. Werkdagen tellen zonder weekend en feestdagen." }));
    return box;
  }

  /* --- the panel ------------------------------------------------------------------------ */

  function create(modeler, choices, container) {
    var eventBus = modeler.get("eventBus");
    var modeling = modeler.get("modeling");
    var registry = modeler.get("elementRegistry");
    var selection = modeler.get("selection");
    var canvas = modeler.get("canvas");
    var factory = modeler.get("bpmnFactory");
    var current = null;
    var body = el("div", { className: "wb-panel-body" });
    var picker = el("select", { id: "vk-goto" });
    container.appendChild(el("div", { className: "field" }, [
      el("label", { for: "vk-goto", text: "Ga naar element" }), picker
    ]));
    container.appendChild(body);

    function name(element) {
      var bo = element.businessObject;
      return (bo && bo.name) || element.id;
    }

    function typeLabel(element) { return TYPE_LABELS[element.type] || element.type.replace("bpmn:", ""); }

    function fillPicker() {
      var groups = {};
      registry.getAll().forEach(function (element) {
        if (PICKABLE.indexOf(element.type) === -1 || element.labelTarget) { return; }
        var label = typeLabel(element);
        (groups[label] = groups[label] || []).push(element);
      });
      picker.textContent = "";
      picker.appendChild(el("option", { value: "", text: "Kies een element…" }));
      Object.keys(groups).sort().forEach(function (label) {
        var group = el("optgroup", { label: label });
        groups[label].sort(function (a, b) { return name(a).localeCompare(name(b), "nl"); })
          .forEach(function (element) {
            group.appendChild(el("option", { value: element.id, text: name(element) + " (" + element.id + ")" }));
          });
        picker.appendChild(group);
      });
      if (current) { picker.value = current.id; }
    }

    function show(id) {
      var element = registry.get(id);
      if (!element) { return; }
      if (canvas.findRoot) {
        var root = canvas.findRoot(element);
        if (root && root !== canvas.getRootElement()) { canvas.setRootElement(root); }
      }
      selection.select(element);
      if (canvas.viewbox().scale < 0.8) {
        canvas.zoom(1); // readable; the next line brings the element into view
      }
      canvas.scrollToElement(element, { top: 120, bottom: 120, left: 120, right: 120 });
    }
    picker.addEventListener("change", function () { if (picker.value) { show(picker.value); } });

    function select(id, options, value, onChange, label, help) {
      var control = el("select", { id: id });
      options.forEach(function (option) {
        control.appendChild(el("option", { value: option.value, text: option.text }));
      });
      if (value && !options.some(function (o) { return o.value === value; })) {
        control.appendChild(el("option", { value: value, text: "Onbekend: " + value }));
      }
      control.value = value || "";
      control.addEventListener("change", function () { onChange(control.value); });
      return el("div", { className: "field" }, [
        el("label", { for: id, text: label }), help ? el("p", { className: "hint", text: help }) : null, control
      ]);
    }

    function laneOf(element) {
      var bo = element.businessObject;
      var lanes = registry.filter(function (e) { return e.type === "bpmn:Lane"; });
      for (var i = 0; i < lanes.length; i += 1) {
        var refs = lanes[i].businessObject.flowNodeRef || [];
        if (refs.indexOf(bo) !== -1) { return lanes[i]; }
      }
      return element.parent && element.parent.type === "bpmn:SubProcess" ? laneOf(element.parent) : null;
    }

    function roleOf(laneName) {
      var wanted = (laneName || "").replace(/\s+/g, " ").trim().toLowerCase();
      var found = choices.roles.filter(function (r) {
        return r.key === wanted || r.label.toLowerCase() === wanted;
      })[0];
      return found || null;
    }

    function formPart(element) {
      var bo = element.businessObject;
      var hasFields = (bo.extensionElements && (bo.extensionElements.values || []).some(function (v) {
        return v.$type === "camunda:FormData";
      }));
      var options = [{ value: "", text: hasFields ? "Formulier in het diagram (Form fields)" : "— kies een formulier —" }]
        .concat(choices.forms.map(function (f) { return { value: f.key, text: f.title + " (" + f.key + ")" }; }));
      body.appendChild(select("vk-formkey", options, bo.get("camunda:formKey"), function (key) {
        modeling.updateProperties(element, { "camunda:formKey": key || undefined });
      }, "Formulier", hasFields
        ? "Deze taak heeft een eigen formulier (Form fields in het eigenschappenpaneel). Kies een geregistreerd formulier óf die velden, niet allebei."
        : "Het formulier dat de partij invult. Zelf velden maken kan met ‘Form fields’ in het eigenschappenpaneel."));
    }

    function userTask(element) {
      formPart(element);
      var lane = laneOf(element);
      var role = lane ? roleOf(lane.businessObject.name) : null;
      body.appendChild(el("p", { className: "wb-fact" }, [
        el("strong", { text: "Partij: " }),
        role ? role.label : (lane ? "onbekende baan ‘" + (lane.businessObject.name || lane.id) + "’" : "niet in een baan"),
        el("span", { className: "hint", text: " (de baan bepaalt wie de taak krijgt; kies de rol bij de baan zelf)" })
      ]));
      var old = element.businessObject.get("camunda:dueDate") || "";
      var timers = (element.attachers || []).filter(function (a) {
        var def = timerDefinition(a);
        return def && def.timeDuration && (def.timeDuration.body || "").trim() === old.trim() && old;
      });
      var follow = [];
      var editor = deadlineEditor("Termijn (due date)", old, function (value) {
        // the timers first: when the task changes the panel is drawn again, and then the
        // timers already match the task's new deadline
        follow.filter(function (f) { return f.box.checked; }).forEach(function (f) { setTimer(f.timer, value); });
        modeling.updateProperties(element, { "camunda:dueDate": value });
      }, "Vanaf het moment dat de taak klaarstaat.");
      timers.forEach(function (timer) {
        var id = uid("vk-follow");
        var box = el("input", { id: id, type: "checkbox", checked: true });
        follow.push({ timer: timer, box: box });
        editor.appendChild(el("div", { className: "check" }, [
          box, el("label", { for: id, text: "Ook de timer ‘" + name(timer) + "’ op deze taak aanpassen (zelfde termijn)" })
        ]));
      });
      body.appendChild(editor);
    }

    function timerDefinition(element) {
      var defs = (element.businessObject && element.businessObject.eventDefinitions) || [];
      return defs.filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; })[0] || null;
    }

    function setTimer(element, value) {
      var def = timerDefinition(element);
      if (!def) { return; }
      if (value === undefined) {
        modeling.updateModdleProperties(element, def, { timeDuration: undefined });
      } else if (def.timeDuration) {
        modeling.updateModdleProperties(element, def.timeDuration, { body: value });
      } else {
        modeling.updateModdleProperties(element, def, {
          timeDuration: factory.create("bpmn:FormalExpression", { body: value }),
          timeDate: undefined, timeCycle: undefined
        });
      }
    }

    function timer(element) {
      var def = timerDefinition(element);
      if (def.timeDate || def.timeCycle) {
        var kind = def.timeDate ? "moment" : "herhaling";
        var expr = def.timeDate || def.timeCycle;
        body.appendChild(el("p", { className: "hint" }, [
          "Deze timer is een " + kind + ": ", el("code", { text: expr.body || "" }),
          ". Hieronder vervangt u hem door een termijn."
        ]));
      }
      body.appendChild(deadlineEditor("Timer na", def.timeDuration ? def.timeDuration.body : "",
        function (value) { setTimer(element, value); },
        element.type === "bpmn:BoundaryEvent" ? "Gerekend vanaf het moment dat de activiteit waar de timer op zit begint." : "Gerekend vanaf het moment dat de zaak hier aankomt."));
    }

    function lane(element) {
      var role = roleOf(element.businessObject.name);
      var options = [{ value: "", text: "— kies een partij —" }].concat(choices.roles.map(function (r) {
        return { value: r.key, text: r.label };
      }));
      body.appendChild(select("vk-role", options, role ? role.key : (element.businessObject.name || ""), function (key) {
        var chosen = choices.roles.filter(function (r) { return r.key === key; })[0];
        if (chosen) { modeling.updateProperties(element, { name: chosen.label }); }
      }, "Partij (rol) van deze baan", "Elke gebruikerstaak in deze baan komt in de takenlijst van deze partij."));
    }

    function flow(element) {
      var bo = element.businessObject;
      var source = bo.sourceRef;
      if (!source || ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"].indexOf(source.$type) === -1) {
        body.appendChild(el("p", { className: "hint", text: "Alleen stromen die uit een keuze (gateway) komen hebben een voorwaarde." }));
        return;
      }
      var isDefault = source.default === bo;
      var gateway = registry.get(source.id);
      var defaultId = uid("vk-default");
      var defaultBox = el("input", { id: defaultId, type: "checkbox", checked: isDefault });
      defaultBox.addEventListener("change", function () {
        modeling.updateProperties(gateway, { "default": defaultBox.checked ? bo : undefined });
        if (defaultBox.checked && bo.conditionExpression) {
          modeling.updateProperties(element, { conditionExpression: undefined });
        }
      });
      body.appendChild(el("div", { className: "check" }, [
        defaultBox, el("label", { for: defaultId, text: "Standaardpad (als geen voorwaarde waar is)" })
      ]));
      if (isDefault) { return; }
      var text = el("textarea", { id: "vk-condition", rows: "3", spellcheck: "false" });
      text.value = bo.conditionExpression ? (bo.conditionExpression.body || "") : "";
      var variables = el("select", { id: "vk-variable" }, [el("option", { value: "", text: "Variabele invoegen…" })]);
      choices.variables.forEach(function (v) {
        variables.appendChild(el("option", { value: v.name, text: v.name + " – " + v.label + " (" + v.source + ")" }));
      });
      variables.addEventListener("change", function () {
        if (!variables.value) { return; }
        var start = text.selectionStart || text.value.length;
        text.value = text.value.slice(0, start) + variables.value + text.value.slice(text.selectionEnd || start);
        variables.value = "";
        text.focus();
      });
      var apply = el("button", { type: "button", className: "secondary small", text: "Voorwaarde toepassen" });
      apply.addEventListener("click", function () {
        var value = text.value.trim();
        modeling.updateProperties(element, {
          conditionExpression: value ? factory.create("bpmn:FormalExpression", { body: value }) : undefined
        });
      });
      body.appendChild(el("div", { className: "field" }, [
        el("label", { for: "vk-condition", text: "Voorwaarde" }),
        el("p", { className: "hint", text: "Python of eenvoudige JUEL, met de variabelen van de formulieren, bijvoorbeeld: prioriteit == \"P1\" of achterstand_bedrag > 1000." }),
        text
      ]));
      body.appendChild(el("div", { className: "wb-row" }, [
        el("label", { for: "vk-variable", className: "visually-hidden", text: "Variabele invoegen" }), variables, apply
      ]));
    }

    function decision(element) {
      var options = [{ value: "", text: "— kies een beslistabel —" }].concat(choices.decisions.map(function (d) {
        return { value: d.id, text: d.name + " (" + d.id + (d.source === "concept" ? ", concept" : "") + ")" };
      }));
      body.appendChild(select("vk-decision", options, element.businessObject.get("camunda:decisionRef"), function (id) {
        modeling.updateProperties(element, {
          "camunda:decisionRef": id || undefined, "camunda:class": undefined,
          "camunda:expression": undefined, "camunda:delegateExpression": undefined, "camunda:type": undefined
        });
      }, "Beslistabel", "De uitkomsten van de tabel worden variabelen van de zaak. Een concept-tabel moet eerst worden uitgerold."));
    }

    function operationName(bo) {
      var raw = bo.get("camunda:delegateExpression") || bo.get("camunda:expression") || bo.get("camunda:class") || "";
      var match = /^\s*\$\{\s*([A-Za-z_][\w]*)\s*\}\s*$/.exec(raw);
      return match ? match[1] : raw.split(".").pop();
    }

    function service(element) {
      var bo = element.businessObject;
      var options = [{ value: "", text: "— kies een bewerking —" }].concat(choices.operations.map(function (o) {
        return { value: o.name, text: o.name + " – " + o.description };
      }));
      var chosenName = operationName(bo);
      body.appendChild(select("vk-operation", options, chosenName, function (nameValue) {
        modeling.updateProperties(element, {
          "camunda:delegateExpression": nameValue ? "${" + nameValue + "}" : undefined,
          "camunda:class": undefined, "camunda:expression": undefined,
          "camunda:type": undefined, "camunda:topic": undefined
        });
      }, "Bewerking", "Wat Voorkom hier automatisch doet."));
      var op = choices.operations.filter(function (o) { return o.name === chosenName; })[0];
      if (op && op.parameters.length) {
        body.appendChild(el("p", { className: "hint" }, [
          "Parameters (als Extension properties in het eigenschappenpaneel): ",
          el("code", { text: op.parameters.join(", ") })
        ]));
      }
    }

    function call(element) {
      var options = [{ value: "", text: "— kies een proces —" }].concat(choices.processes.map(function (p) {
        return { value: p.id, text: p.name + " (" + p.id + ")" };
      }));
      body.appendChild(select("vk-called", options, element.businessObject.get("calledElement"), function (id) {
        modeling.updateProperties(element, { calledElement: id || undefined });
      }, "Aangeroepen proces", "Het deelproces dat hier voor dezelfde zaak loopt."));
    }

    function render(element) {
      counter = 0; // the same element gets the same ids again (focus survives a re-render)
      current = element;
      body.textContent = "";
      if (!element || element.type === "bpmn:Process" || element.type === "bpmn:Collaboration" || element.labelTarget) {
        body.appendChild(el("p", { className: "hint", text: "Kies een element in het diagram of hierboven. Voor taken, banen, timers, keuzestromen, beslistaken en servicetaken kiest u hier wat er moet gebeuren." }));
        picker.value = "";
        return;
      }
      picker.value = registry.get(element.id) && PICKABLE.indexOf(element.type) !== -1 ? element.id : "";
      body.appendChild(el("h3", { id: "vk-element", tabindex: "-1" }, [
        name(element), el("span", { className: "wb-type", text: " · " + typeLabel(element) })
      ]));
      var type = element.type;
      var done = false;
      if (type === "bpmn:UserTask") { userTask(element); done = true; }
      if (type === "bpmn:StartEvent" && !timerDefinition(element)) { formPart(element); done = true; }
      if (timerDefinition(element)) { timer(element); done = true; }
      if (type === "bpmn:Lane") { lane(element); done = true; }
      if (type === "bpmn:SequenceFlow") { flow(element); done = true; }
      if (type === "bpmn:BusinessRuleTask") { decision(element); done = true; }
      if (type === "bpmn:ServiceTask") { service(element); done = true; }
      if (type === "bpmn:CallActivity") { call(element); done = true; }
      if (!done) {
        body.appendChild(el("p", { className: "hint", text: "Voor dit element heeft Voorkom geen keuzes; gebruik het eigenschappenpaneel." }));
      }
    }

    eventBus.on("selection.changed", function (event) {
      render(event.newSelection.length === 1 ? event.newSelection[0] : null);
    });
    eventBus.on("elements.changed", function (event) {
      var ids = event.elements.map(function (e) { return e.id; });
      if (current && ids.indexOf(current.id) !== -1) {
        var active = document.activeElement;
        var keep = active && body.contains(active) ? active.id : null;
        render(registry.get(current.id) || null);
        if (keep && document.getElementById(keep)) { document.getElementById(keep).focus(); }
      }
    });
    eventBus.on(["shape.added", "shape.removed", "import.done"], function () { fillPicker(); });
    fillPicker();
    render(null);
    return { show: show, refresh: fillPicker };
  }

  return { create: create, parseDeadline: parseDeadline };
})();
